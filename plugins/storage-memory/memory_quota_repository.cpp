#include "memory_quota_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryQuotaRepository::upsert(
    const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept {
    return guarded("quotas.upsert", [&] {
        std::lock_guard lock(state_.mutex);
        // Everything that can throw happens on a copy; the swap at the end cannot.
        auto quotas = state_.quotas;
        for (const sdk::QuotaSnapshotRecord& snapshot : snapshots) {
            if (state_.accounts.count(snapshot.account_id) == 0) {
                continue;
            }
            sdk::QuotaSnapshotRecord stored = snapshot;
            stored.resets_at = toStoredTime(snapshot.resets_at);
            stored.observed_at = toStoredTime(snapshot.observed_at);
            quotas.insert_or_assign({snapshot.account_id, snapshot.window}, std::move(stored));
        }
        state_.quotas.swap(quotas);
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> MemoryQuotaRepository::list(
    std::optional<std::string_view> account_id) noexcept {
    return guarded("quotas.list", [&]() -> sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> {
        std::lock_guard lock(state_.mutex);
        std::vector<sdk::QuotaSnapshotRecord> snapshots;
        for (const auto& [key, snapshot] : state_.quotas) {
            if (!account_id || key.first == *account_id) {
                snapshots.push_back(snapshot);
            }
        }
        return snapshots;
    });
}

}  // namespace sluice::plugins::storage_memory
