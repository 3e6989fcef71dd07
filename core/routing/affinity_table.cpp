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
    Local local = holding(composite, mirror_ != nullptr ? mirror_->generation() : 0, now);
    if (mirror_ == nullptr || local.confirmed) {
        return local.account_id;
    }
    return reconcile(pool, key, composite, std::move(local), now);
}

std::optional<std::string> AffinityTable::reconcile(std::string_view pool, std::string_view key,
                                                    const std::string& composite, Local local,
                                                    sdk::TimePoint now) {
    const std::uint64_t generation = mirror_->generation();
    const auto shared = mirror_->find(pool, key);
    if (!shared.ok()) {
        return local.account_id;  // the replicas cannot answer: this replica's entry decides
    }
    if (const std::optional<std::string>& account = shared.value()) {
        store(composite, Entry{*account, now + kTimeToLive, generation}, now);
        return account;
    }
    if (local.account_id) {
        // The replicas lost it (bound during an outage, or their server restarted): this
        // replica's binding stands for all of them.
        const bool stored = mirror_->share(pool, key, *local.account_id, true);
        confirm(composite, *local.account_id, stored ? generation : 0);
    }
    return local.account_id;
}

void AffinityTable::remember(std::string_view pool, std::string_view key,
                             const std::string& account_id, sdk::TimePoint now) {
    const std::string composite = poolScopedKey(pool, key);
    if (mirror_ == nullptr) {
        store(composite, Entry{account_id, now + kTimeToLive}, now);
        return;
    }
    const std::uint64_t generation = mirror_->generation();
    const Local previous = holding(composite, generation, now);
    // Known here before the write, so this replica never waits on it to route the next turn.
    store(composite, Entry{account_id, now + kTimeToLive}, now);
    const bool moved = !previous.confirmed || previous.account_id != account_id;
    if (mirror_->share(pool, key, account_id, moved)) {
        confirm(composite, account_id, generation);
    }
}

void AffinityTable::adopt(std::string_view pool, std::string_view key,
                          const std::string& account_id, sdk::TimePoint now) {
    const std::string composite = poolScopedKey(pool, key);
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(composite);
    if (it != shard.entries.end() && it->second.expires_at > now) {
        it->second =
            Entry{account_id, now + kTimeToLive, mirror_ != nullptr ? mirror_->generation() : 0};
    }
}

AffinityTable::Local AffinityTable::holding(const std::string& composite, std::uint64_t generation,
                                            sdk::TimePoint now) {
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(composite);
    if (it == shard.entries.end() || it->second.expires_at <= now) {
        return {};
    }
    it->second.expires_at = now + kTimeToLive;
    return {it->second.account_id, generation != 0 && it->second.confirmed == generation};
}

void AffinityTable::store(const std::string& composite, Entry entry, sdk::TimePoint now) {
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kCapacity / kShards && shard.entries.count(composite) == 0) {
        evict(shard, now);
    }
    shard.entries[composite] = std::move(entry);
}

void AffinityTable::confirm(const std::string& composite, const std::string& account_id,
                            std::uint64_t generation) {
    Shard& shard = shardFor(composite);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(composite);
    if (it != shard.entries.end() && it->second.account_id == account_id) {
        it->second.confirmed = generation;
    }
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
