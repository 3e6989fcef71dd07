#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace sluice::plugins::strategy_builtin {

/// Per-account counters for the weighted strategy, keyed by Candidate::id_hash: a fixed-size
/// open-addressing table of atomics, sized once at configuration time, so order() finds or
/// claims an account's slot without locks and without allocating. Slots are never released; an
/// account that disappears keeps its slot (16 bytes) until the strategy is reconfigured.
class CreditTable final {
public:
    /// Room for `accounts` accounts at a load factor of at most one half.
    explicit CreditTable(std::size_t accounts);

    /// The counter of account `id_hash`, claimed (and zero) on first sight, in which case
    /// `claimed` is set. nullptr when the table is too full to find or claim a slot quickly.
    std::atomic<std::uint64_t>* find(std::uint64_t id_hash, bool& claimed) noexcept;

    /// Starts loading the slot of `id_hash` into the cache, so a find() soon after does not wait.
    void prefetch(std::uint64_t id_hash) const noexcept {
        __builtin_prefetch(&slots_[(id_hash == 0 ? kZeroHashKey : id_hash) & mask_]);
    }

    /// 0 marks a free slot, so an account whose hash is 0 is stored under this key.
    static constexpr std::uint64_t kZeroHashKey = 0x8000000000000001ULL;

private:
    struct Slot {
        std::atomic<std::uint64_t> key{0};  ///< 0: free
        std::atomic<std::uint64_t> value{0};
    };

    std::unique_ptr<Slot[]> slots_;
    std::size_t mask_ = 0;
};

}  // namespace sluice::plugins::strategy_builtin
