#include "memory_affinity_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryAffinityRepository::put(const sdk::AffinityRecord& record) noexcept {
    return guarded("affinities.put", [&] {
        sdk::AffinityRecord stored = record;
        stored.expires_at = toStoredTime(record.expires_at);
        std::lock_guard lock(state_.mutex);
        state_.affinities.insert_or_assign(record.key, std::move(stored));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AffinityRecord> MemoryAffinityRepository::get(std::string_view key,
                                                               sdk::TimePoint now) noexcept {
    return guarded("affinities.get", [&]() -> sdk::Result<sdk::AffinityRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.affinities.find(key);
        if (found == state_.affinities.end() || found->second.expires_at <= toStoredTime(now)) {
            return notFound("affinity", key);
        }
        return found->second;
    });
}

sdk::Result<std::uint64_t> MemoryAffinityRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("affinities.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        const sdk::TimePoint cutoff = toStoredTime(now);
        std::lock_guard lock(state_.mutex);
        return static_cast<std::uint64_t>(std::erase_if(state_.affinities, [&](const auto& entry) {
            return entry.second.expires_at <= cutoff;
        }));
    });
}

}  // namespace sluice::plugins::storage_memory
