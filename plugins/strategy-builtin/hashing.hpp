#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// splitmix64's finaliser: a bijective mix in which every input bit flips about half the output
/// bits, so neighbouring counters and ids give unrelated scores.
constexpr std::uint64_t mix64(std::uint64_t value) noexcept {
    value ^= value >> 30;
    value *= 0xbf58476d1ce4e5b9ULL;
    value ^= value >> 27;
    value *= 0x94d049bb133111ebULL;
    value ^= value >> 31;
    return value;
}

/// FNV-1a, mixed: for the strings a strategy hashes itself (pool and model names). The same in
/// every process and release, so choices made from it survive restarts.
constexpr std::uint64_t hashText(std::string_view text) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return mix64(hash);
}

/// The score of account `id_hash` under `seed`: highest-random-weight hashing. For one seed the
/// accounts' scores are independent uniform values (the mix is a bijection, and splitmix's
/// finaliser spreads even consecutive inputs), so the best account for a seed changes only when
/// that account leaves or a better-scoring one arrives. One mix: it runs per candidate.
constexpr std::uint64_t seededScore(std::uint64_t seed, std::uint64_t id_hash) noexcept {
    return mix64(seed ^ id_hash);
}

/// Per-request seeds for tie-breaks: the request's affinity seed when it has one, so one
/// conversation breaks ties the same way every time; otherwise a mixed counter, so ties rotate
/// over equal accounts from request to request. Lock-free; a fresh instance always produces the
/// same sequence, which keeps strategies deterministic for a given call history.
class RequestSeeds final {
public:
    std::uint64_t next(const sdk::PickContext& context) noexcept {
        if (context.has_affinity_seed) {
            return context.affinity_seed;
        }
        // Relaxed: the counter only spreads ties; nothing else is ordered by it.
        return mix64(counter_.fetch_add(1, std::memory_order_relaxed));
    }

private:
    std::atomic<std::uint64_t> counter_{0};
};

}  // namespace sluice::plugins::strategy_builtin
