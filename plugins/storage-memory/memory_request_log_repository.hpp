#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Request metadata keyed by id, read back newest first in pages of at most kMaxPageSize.
/// Thread-safe; borrows the backend's state.
class MemoryRequestLogRepository final : public sdk::RequestLogRepository {
public:
    explicit MemoryRequestLogRepository(MemoryState& state) : state_(state) {}

    /// All or nothing; AlreadyExists (and nothing written) on a taken or repeated id.
    sdk::Status append(const std::vector<sdk::RequestLogRecord>& records) noexcept override;
    sdk::Result<sdk::RequestLogRecord> get(std::string_view id) noexcept override;
    /// InvalidArgument for a zero limit or a cursor naming no stored row.
    sdk::Result<sdk::RequestLogPage> query(const sdk::RequestLogQuery& query) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
