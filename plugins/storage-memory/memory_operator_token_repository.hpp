#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Admin and MCP tokens keyed by prefix. Thread-safe; borrows the backend's state.
class MemoryOperatorTokenRepository final : public sdk::OperatorTokenRepository {
public:
    explicit MemoryOperatorTokenRepository(MemoryState& state) : state_(state) {}

    sdk::Status create(const sdk::OperatorTokenRecord& token) noexcept override;
    sdk::Result<sdk::OperatorTokenRecord> findByPrefix(std::string_view prefix) noexcept override;
    /// Ordered by creation time.
    sdk::Result<std::vector<sdk::OperatorTokenRecord>> list(
        sdk::OperatorTokenKind kind) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
