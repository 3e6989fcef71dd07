#include "credit_table.hpp"

#include <algorithm>
#include <bit>

namespace sluice::plugins::strategy_builtin {

namespace {

// Linear probing gives up after this many slots, bounding order() when the table is crowded.
constexpr std::size_t kMaxProbes = 64;

}  // namespace

CreditTable::CreditTable(std::size_t accounts)
    : slots_(std::make_unique<Slot[]>(std::bit_ceil(std::max<std::size_t>(accounts, 8) * 2))),
      mask_(std::bit_ceil(std::max<std::size_t>(accounts, 8) * 2) - 1) {}

std::atomic<std::uint64_t>* CreditTable::find(std::uint64_t id_hash, bool& claimed) noexcept {
    claimed = false;
    const std::uint64_t key = id_hash == 0 ? kZeroHashKey : id_hash;
    for (std::size_t probe = 0; probe < kMaxProbes && probe <= mask_; ++probe) {
        Slot& slot = slots_[(key + probe) & mask_];
        std::uint64_t seen = slot.key.load(std::memory_order_acquire);
        if (seen == 0) {
            // Claim the free slot; if another thread claimed it first, `seen` is its key.
            if (slot.key.compare_exchange_strong(seen, key, std::memory_order_acq_rel)) {
                claimed = true;
                return &slot.value;
            }
        }
        if (seen == key) {
            return &slot.value;
        }
    }
    return nullptr;
}

}  // namespace sluice::plugins::strategy_builtin
