#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Pools keyed by name. Thread-safe; borrows the backend's state.
class MemoryPoolRepository final : public sdk::PoolRepository {
public:
    explicit MemoryPoolRepository(MemoryState& state) : state_(state) {}

    sdk::Status create(const sdk::PoolRecord& pool) noexcept override;
    /// Replaces everything but the name and created_at.
    sdk::Status update(const sdk::PoolRecord& pool) noexcept override;
    sdk::Status remove(std::string_view name) noexcept override;
    sdk::Result<sdk::PoolRecord> get(std::string_view name) noexcept override;
    sdk::Result<std::vector<sdk::PoolRecord>> list() noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
