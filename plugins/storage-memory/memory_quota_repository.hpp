#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// The latest quota evidence per (account, window). Thread-safe; borrows the backend's state.
class MemoryQuotaRepository final : public sdk::QuotaRepository {
public:
    explicit MemoryQuotaRepository(MemoryState& state) : state_(state) {}

    /// All or nothing. Snapshots of accounts that no longer exist are skipped: the evidence may
    /// be settled just after an operator removed the account.
    sdk::Status upsert(const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept override;
    /// Ordered by account id, then window.
    sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> list(
        std::optional<std::string_view> account_id) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
