#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// The operator audit trail keyed by id, read back newest first. Thread-safe; borrows the
/// backend's state.
class MemoryAuditRepository final : public sdk::AuditRepository {
public:
    explicit MemoryAuditRepository(MemoryState& state) : state_(state) {}

    sdk::Status append(const sdk::AuditRecord& record) noexcept override;
    sdk::Result<sdk::AuditRecord> get(std::string_view id) noexcept override;
    /// InvalidArgument for a zero limit or a cursor naming no stored row.
    sdk::Result<sdk::AuditPage> query(const sdk::AuditQuery& query) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
