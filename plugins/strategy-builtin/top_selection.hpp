#pragma once

// Partial selection shared by the ranking strategies: the best `wanted` of n candidates in
// O(n log wanted) time, without sorting all of them and without allocating anything but `out`.
//
// Strategies rank by one unsigned integer per candidate, lower first, with all their criteria,
// the tie-break hash included, packed into its bits. The loop computes every candidate's full
// key without a branch and compares it once with the worst key kept, which once the ring holds
// good candidates is nearly always "worse": a branch the predictor gets right. Deciding per
// candidate whether its tie bits are worth computing costs more than computing them, because
// that decision is a coin toss wherever many candidates tie (every idle account, for instance).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

__extension__ using RankKey128 = unsigned __int128;  // GCC/Clang extension, for wide keys

/// No index: nothing to skip.
inline constexpr std::uint32_t kNoIndex = UINT32_MAX;

/// Rings up to this size (the pipeline allows at most 64) are selected in a bounded heap on the
/// stack; larger limits use `out` itself as the work area.
inline constexpr std::size_t kInlineSelection = 64;

/// Demoted accounts (a recent failure) are still allowed but offered after every other one, so a
/// ring of `limit` accounts fills with healthy accounts first.
inline bool isDemoted(const sdk::Candidate& candidate, sdk::TimePoint now) noexcept {
    return candidate.cooldown_until > now;
}

/// The rank key of `candidate`: `key` (top bit clear) with the top bit set when it is demoted.
template <typename Key>
Key withDemotion(Key key, const sdk::Candidate& candidate, sdk::TimePoint now) noexcept {
    constexpr Key kDemotedBit = Key{1} << (sizeof(Key) * 8 - 1);
    return key | (candidate.cooldown_until > now ? kDemotedBit : Key{0});
}

/// Keys equal in every bit are ordered by snapshot position.
struct SnapshotOrder {
    bool operator()(std::uint32_t a, std::uint32_t b) const noexcept { return a < b; }
};

/// The best `wanted` (1 to kInlineSelection) of the (key, index) pairs offered: lower key first,
/// equal keys by `tieLess` on the indices. A bounded max-heap on the stack, its top the worst
/// pair kept, the one to evict; one object per order() call.
template <typename Key, typename TieLess = SnapshotOrder>
class BoundedSelection {
public:
    explicit BoundedSelection(std::size_t wanted, const TieLess& tieLess = {}) noexcept
        : wanted_(std::min(wanted, kInlineSelection)), tie_less_(tieLess) {}

    /// No pair whose key is above this can get in: the worst key kept once the selection is
    /// full, the largest key before. Callers compare with it before offering.
    Key bar() const noexcept { return bar_; }

    void offer(Key key, std::uint32_t index) noexcept {
        const Entry entry{key, index};
        if (size_ < wanted_) {
            heap_[size_++] = entry;
            std::push_heap(heap_.begin(), heap_.begin() + size_, before());
        } else if (before()(entry, heap_[0])) {
            std::pop_heap(heap_.begin(), heap_.begin() + size_, before());
            heap_[size_ - 1] = entry;
            std::push_heap(heap_.begin(), heap_.begin() + size_, before());
        } else {
            return;
        }
        if (size_ == wanted_) {
            bar_ = heap_[0].key;
        }
    }

    /// Appends the kept indices to `out`, best first.
    void appendTo(std::vector<std::uint32_t>& out) noexcept {
        std::sort_heap(heap_.begin(), heap_.begin() + size_, before());
        for (std::size_t i = 0; i < size_; ++i) {
            out.push_back(heap_[i].index);
        }
    }

private:
    struct Entry {
        Key key = 0;
        std::uint32_t index = 0;
    };

    auto before() const noexcept {
        return [this](const Entry& a, const Entry& b) {
            return a.key != b.key ? a.key < b.key : tie_less_(a.index, b.index);
        };
    }

    std::array<Entry, kInlineSelection> heap_;
    std::size_t size_ = 0;
    std::size_t wanted_;
    Key bar_ = ~Key{0};
    TieLess tie_less_;
};

/// Appends to `out` at most `wanted` untried candidates other than `skip`, best first, by
/// ascending key = `keyOf(candidate)`, an unsigned integer whose top bit is left clear, for the
/// helper sets it on demoted candidates. Equal keys are ordered by `tieLess(index_a, index_b)`,
/// a strict total order (snapshot position by default). Both must answer the same for the same
/// candidate throughout one call. `keyOf` takes the candidate rather than its index so that it
/// need not capture the context: values captured by copy stay in registers through the loop.
template <typename KeyOf, typename TieLess = SnapshotOrder>
void appendBest(const sdk::PickContext& context, std::size_t wanted, const KeyOf& keyOf,
                std::vector<std::uint32_t>& out, std::uint32_t skip = kNoIndex,
                const TieLess& tieLess = {}) noexcept {
    using Key = decltype(keyOf(std::declval<const sdk::Candidate&>()));
    static_assert(std::is_unsigned_v<Key> || std::is_same_v<Key, RankKey128>);
    if (wanted == 0) {
        return;
    }
    const auto count = static_cast<std::uint32_t>(context.candidate_count);
    const sdk::Candidate* const candidates = context.candidates;
    const sdk::TimePoint now = context.now;

    if (wanted <= kInlineSelection) {
        BoundedSelection<Key, TieLess> best(wanted, tieLess);
        for (std::uint32_t index = 0; index < count; ++index) {
            const sdk::Candidate& candidate = candidates[index];
            const Key key = withDemotion(keyOf(candidate), candidate, now);
            // Tried candidates are rare, so they are sorted out only among the few that pass.
            if (key <= best.bar() && !candidate.tried && index != skip) {
                best.offer(key, index);
            }
        }
        best.appendTo(out);
        return;
    }

    // Large limits: every eligible index goes into `out`, a heap on rank yields the best
    // `wanted` of them in order, and the rest is cut off again.
    const std::size_t base = out.size();
    for (std::uint32_t index = 0; index < count; ++index) {
        if (!candidates[index].tried && index != skip) {
            out.push_back(index);
        }
    }
    const auto after = [&](std::uint32_t a, std::uint32_t b) {
        const Key x = withDemotion(keyOf(candidates[a]), candidates[a], now);
        const Key y = withDemotion(keyOf(candidates[b]), candidates[b], now);
        return y != x ? y < x : tieLess(b, a);
    };
    const auto first = out.begin() + static_cast<std::ptrdiff_t>(base);
    const std::size_t taken = std::min(wanted, out.size() - base);
    std::make_heap(first, out.end(), after);
    for (std::size_t i = 0; i < taken; ++i) {
        // Moves the best remaining index to the end of the shrinking heap.
        std::pop_heap(first, out.end() - static_cast<std::ptrdiff_t>(i), after);
    }
    // The chosen indices sit at the tail, best last; bring them to the front in order.
    std::reverse(out.end() - static_cast<std::ptrdiff_t>(taken), out.end());
    std::rotate(first, out.end() - static_cast<std::ptrdiff_t>(taken), out.end());
    out.resize(base + taken);
}

/// Packing helpers: each clamps its value into `bits` bits, so fields never spill into the next.
inline std::uint64_t fitBits(std::uint64_t value, unsigned bits) noexcept {
    const std::uint64_t max = (std::uint64_t{1} << bits) - 1;
    return value < max ? value : max;
}

/// Seconds since the epoch, 0 for instants before it, saturating at `bits` bits (34 bits reach
/// the year 2514, so TimePoint::max() saturates and sorts last).
inline std::uint64_t secondsKey(sdk::TimePoint when, unsigned bits) noexcept {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
    return seconds <= 0 ? 0 : fitBits(static_cast<std::uint64_t>(seconds), bits);
}

}  // namespace sluice::plugins::strategy_builtin
