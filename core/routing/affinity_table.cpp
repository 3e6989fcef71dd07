#include "core/routing/affinity_table.hpp"

#include <algorithm>

#include "core/routing/stable_hash.hpp"

namespace sluice::core::routing {

std::string AffinityTable::compositeKey(std::string_view pool, std::string_view key) {
    std::string composite;
    composite.reserve(pool.size() + key.size() + 1);
    composite.append(pool).push_back('\n');
    composite.append(key);
    return composite;
}

AffinityTable::Shard& AffinityTable::shardFor(const std::string& key) {
    return shards_[stableHash64(key) % kShards];
}

std::optional<std::string> AffinityTable::lookup(std::string_view pool, std::string_view key,
                                                 sdk::TimePoint now) {
    const std::string composite = compositeKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(composite);
    if (it == shard.entries.end() || it->second.expires_at <= now) {
        return std::nullopt;
    }
    it->second.expires_at = now + kTimeToLive;
    return it->second.account_id;
}

void AffinityTable::remember(std::string_view pool, std::string_view key, const std::string& account_id,
                             sdk::TimePoint now) {
    const std::string composite = compositeKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kCapacity / kShards && shard.entries.count(composite) == 0) {
        evict(shard, now);
    }
    shard.entries[composite] = Entry{account_id, now + kTimeToLive};
}

void AffinityTable::forget(std::string_view pool, std::string_view key) {
    const std::string composite = compositeKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    shard.entries.erase(composite);
}

void AffinityTable::evict(Shard& shard, sdk::TimePoint now) {
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
        it = it->second.expires_at <= now ? shard.entries.erase(it) : std::next(it);
    }
    if (shard.entries.size() < kCapacity / kShards) {
        return;
    }
    // Still full of live entries: drop the one closest to expiry (least recently used).
    const auto oldest = std::min_element(shard.entries.begin(), shard.entries.end(),
                                         [](const auto& a, const auto& b) {
                                             return a.second.expires_at < b.second.expires_at;
                                         });
    shard.entries.erase(oldest);
}

}  // namespace sluice::core::routing
