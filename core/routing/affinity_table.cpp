#include "core/routing/affinity_table.hpp"

#include <algorithm>
#include <vector>

#include "core/routing/pool_scoped_key.hpp"
#include "core/routing/stable_hash.hpp"

namespace sluice::core::routing {

AffinityTable::Shard& AffinityTable::shardFor(const std::string& key) {
    return shards_[stableHash64(key) % kShards];
}

std::optional<std::string> AffinityTable::lookup(std::string_view pool, std::string_view key,
                                                 sdk::TimePoint now) {
    const std::string composite = poolScopedKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(composite);
    if (it == shard.entries.end() || it->second.expires_at <= now) {
        return std::nullopt;
    }
    it->second.expires_at = now + kTimeToLive;
    return it->second.account_id;
}

void AffinityTable::remember(std::string_view pool, std::string_view key,
                             const std::string& account_id, sdk::TimePoint now) {
    const std::string composite = poolScopedKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kCapacity / kShards && shard.entries.count(composite) == 0) {
        evict(shard, now);
    }
    shard.entries[composite] = Entry{account_id, now + kTimeToLive};
}

void AffinityTable::forget(std::string_view pool, std::string_view key) {
    const std::string composite = poolScopedKey(pool, key);
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
    // Still full of live entries: drop the eighth closest to expiry (least recently used) at
    // once. Dropping one at a time made every insert into a full shard scan it, which at a few
    // thousand requests a second (each response id is remembered) stalled the gateway once the
    // table filled; one scan per kCapacity / kShards / 8 inserts keeps inserts O(1) amortized.
    std::vector<sdk::TimePoint> expiries;
    expiries.reserve(shard.entries.size());
    for (const auto& [key, entry] : shard.entries) {
        expiries.push_back(entry.expires_at);
    }
    const auto cutoff = expiries.begin() + static_cast<std::ptrdiff_t>(expiries.size() / 8);
    std::nth_element(expiries.begin(), cutoff, expiries.end());
    const sdk::TimePoint drop_until = *cutoff;
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
        it = it->second.expires_at <= drop_until ? shard.entries.erase(it) : std::next(it);
    }
}

}  // namespace sluice::core::routing
