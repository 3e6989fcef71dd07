#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/routing/affinity_mirror.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// Which account last served a key in a pool: a conversation (session header or
/// prompt_cache_key, soft continuity) or a response id (its continuations are pinned there).
/// In memory, sharded, bounded, with a sliding time-to-live. Thread-safe; lookups lock one
/// shard briefly, never across a call to the mirror.
///
/// With a mirror (several replicas, ADR 0012) every binding made here is written through to it,
/// and a key this replica does not know, or has not confirmed since the link last came up, is
/// looked up there once; while the mirror cannot answer, the table's own entries decide.
class AffinityTable final {
public:
    static constexpr std::chrono::hours kTimeToLive{2};
    static constexpr std::size_t kCapacity = 200'000;

    /// Shares this table's bindings through `mirror`, which must outlive it. Main thread, before
    /// the table is first used.
    void shareThrough(AffinityMirror& mirror) noexcept { mirror_ = &mirror; }

    /// The account `key` of `pool` is bound to. May wait on the mirror (bounded) when this
    /// replica does not know the key or has not confirmed it since the link came up.
    std::optional<std::string> lookup(std::string_view pool, std::string_view key,
                                      sdk::TimePoint now);
    /// Binds `key` to `account_id` here, then writes it through to the mirror (bounded).
    void remember(std::string_view pool, std::string_view key, const std::string& account_id,
                  sdk::TimePoint now);
    /// Takes another replica's move of a key this replica holds; a key it does not hold is left
    /// to be looked up on its first use. Never calls the mirror.
    void adopt(std::string_view pool, std::string_view key, const std::string& account_id,
               sdk::TimePoint now);
    void forget(std::string_view pool, std::string_view key);

private:
    struct Entry {
        std::string account_id;
        sdk::TimePoint expires_at;
        std::uint64_t confirmed = 0;  ///< the mirror's generation it was last agreed under
    };
    /// What this replica holds for a key, and whether the mirror agreed to it this generation.
    struct Local {
        std::optional<std::string> account_id;
        bool confirmed = false;
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Entry> entries;
    };
    static constexpr std::size_t kShards = 16;

    Shard& shardFor(const std::string& key);
    /// The live entry for `composite` (its time to live restarted), if any.
    Local holding(const std::string& composite, std::uint64_t generation, sdk::TimePoint now);
    void store(const std::string& composite, Entry entry, sdk::TimePoint now);
    /// Marks the entry agreed under `generation` unless it was rebound meanwhile.
    void confirm(const std::string& composite, const std::string& account_id,
                 std::uint64_t generation);
    /// The mirror's answer for a key this replica does not hold or has not confirmed.
    std::optional<std::string> reconcile(std::string_view pool, std::string_view key,
                                         const std::string& composite, Local local,
                                         sdk::TimePoint now);
    static void evict(Shard& shard, sdk::TimePoint now);

    std::array<Shard, kShards> shards_;
    AffinityMirror* mirror_ = nullptr;
};

}  // namespace sluice::core::routing
