#pragma once

// Partial selection shared by the ranking strategies: the best `wanted` of n candidates in
// O(n log wanted) time, without sorting all of them and without allocating anything but `out`.
//
// Strategies rank by one unsigned integer per candidate, lower first, with their criteria packed
// into its bits (a tie-break hash in the low bits). One integer compare per candidate, which is
// nearly always "not better than the worst kept", keeps the loop free of unpredictable branches:
// at a thousand candidates that is the difference between one and ten microseconds.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

__extension__ using RankKey128 = unsigned __int128;  // GCC/Clang extension, for wide keys

/// No index: nothing to skip.
inline constexpr std::uint32_t kNoIndex = UINT32_MAX;

/// Demoted accounts (a recent failure) are still allowed but offered after every other one, so a
/// ring of `limit` accounts fills with healthy accounts first.
inline bool isDemoted(const sdk::Candidate& candidate, sdk::TimePoint now) noexcept {
    return candidate.cooldown_until > now;
}

/// Keys equal in every bit are ordered by snapshot position.
struct SnapshotOrder {
    bool operator()(std::uint32_t a, std::uint32_t b) const noexcept { return a < b; }
};

namespace detail {

/// Rings up to this size (the pipeline allows at most 64) are selected in a bounded heap on the
/// stack; larger limits use `out` itself as the work area.
inline constexpr std::size_t kInlineSelection = 64;

template <typename Key>
struct Ranked {
    Key key = 0;
    std::uint32_t index = 0;
};

}  // namespace detail

/// The low bits of a key that only break ties, computed only for candidates whose other bits
/// could still put them in the ring: the hash that fills them costs more than the rest.
template <typename TieOf>
struct TieBits {
    TieOf of;  ///< candidate -> a value in the bits `keyOf` leaves zero
};

/// No tie bits: equal keys go straight to `tieLess`.
struct NoTieBits {
    std::uint64_t operator()(const sdk::Candidate&) const noexcept { return 0; }
};

/// Appends to `out` at most `wanted` untried candidates other than `skip`, best first, by
/// ascending key = `keyOf(candidate) | ties.of(candidate)`: an unsigned integer whose top bit is
/// left clear, for the helper sets it on demoted candidates; `keyOf` leaves the bits `ties.of`
/// fills zero. Equal keys are ordered by `tieLess(index_a, index_b)`, a strict total order
/// (snapshot position by default). All three must answer the same for the same candidate
/// throughout one call. They take the candidate rather than its index so that they need not
/// capture the context: values captured by copy stay in registers through the loop.
template <typename KeyOf, typename TieOf = NoTieBits, typename TieLess = SnapshotOrder>
void appendBest(const sdk::PickContext& context, std::size_t wanted, const KeyOf& keyOf,
                std::vector<std::uint32_t>& out, TieBits<TieOf> ties = {},
                std::uint32_t skip = kNoIndex, const TieLess& tieLess = {}) noexcept {
    using Key = decltype(keyOf(std::declval<const sdk::Candidate&>()));
    static_assert(std::is_unsigned_v<Key> || std::is_same_v<Key, RankKey128>);
    using Entry = detail::Ranked<Key>;
    constexpr Key kDemotedBit = Key{1} << (sizeof(Key) * 8 - 1);
    if (wanted == 0) {
        return;
    }
    const auto count = static_cast<std::uint32_t>(context.candidate_count);
    const sdk::Candidate* const candidates = context.candidates;
    const sdk::TimePoint now = context.now;
    // The key without its tie bits: the best the candidate's full key can be.
    const auto untied = [&](const sdk::Candidate& candidate) {
        return keyOf(candidate) | (candidate.cooldown_until > now ? kDemotedBit : Key{0});
    };
    const auto before = [&](const Entry& a, const Entry& b) {
        return a.key != b.key ? a.key < b.key : tieLess(a.index, b.index);
    };

    if (wanted <= detail::kInlineSelection) {
        // A max-heap of the best seen so far: its top is the worst of them, the one to evict.
        std::array<Entry, detail::kInlineSelection> heap;
        std::size_t size = 0;
        for (std::uint32_t index = 0; index < count; ++index) {
            const sdk::Candidate& candidate = candidates[index];
            if (candidate.tried || index == skip) {
                continue;
            }
            Entry entry{untied(candidate), index};
            if (size < wanted) {
                entry.key |= ties.of(candidate);
                heap[size++] = entry;
                std::push_heap(heap.begin(), heap.begin() + size, before);
                continue;
            }
            // The common case once the heap holds good candidates: worse whatever its tie bits.
            if (entry.key > heap[0].key) {
                continue;
            }
            entry.key |= ties.of(candidate);
            if (before(entry, heap[0])) {
                std::pop_heap(heap.begin(), heap.begin() + size, before);
                heap[size - 1] = entry;
                std::push_heap(heap.begin(), heap.begin() + size, before);
            }
        }
        std::sort_heap(heap.begin(), heap.begin() + size, before);
        for (std::size_t i = 0; i < size; ++i) {
            out.push_back(heap[i].index);
        }
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
        const sdk::Candidate& x = candidates[a];
        const sdk::Candidate& y = candidates[b];
        return before(Entry{untied(y) | ties.of(y), b}, Entry{untied(x) | ties.of(x), a});
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
