#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// Which account last served a key in a pool: a conversation (session header or
/// prompt_cache_key, soft continuity) or a response id (its continuations are pinned there).
/// In memory, sharded, bounded, with a sliding time-to-live. Thread-safe; lookups lock one
/// shard briefly.
class AffinityTable final {
public:
    static constexpr std::chrono::hours kTimeToLive{2};
    static constexpr std::size_t kCapacity = 200'000;

    std::optional<std::string> lookup(std::string_view pool, std::string_view key,
                                      sdk::TimePoint now);
    void remember(std::string_view pool, std::string_view key, const std::string& account_id,
                  sdk::TimePoint now);
    void forget(std::string_view pool, std::string_view key);

private:
    struct Entry {
        std::string account_id;
        sdk::TimePoint expires_at;
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, Entry> entries;
    };
    static constexpr std::size_t kShards = 16;

    Shard& shardFor(const std::string& key);
    static void evict(Shard& shard, sdk::TimePoint now);

    std::array<Shard, kShards> shards_;
};

}  // namespace sluice::core::routing
