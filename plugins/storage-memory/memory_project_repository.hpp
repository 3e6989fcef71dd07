#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_projects.hpp"

namespace sluice::plugins::storage_memory {

/// Managed coding projects by id. Thread-safe.
class MemoryProjectRepository final : public sdk::ProjectRepository {
public:
    explicit MemoryProjectRepository(MemoryState& state) : state_(state) {}

    sdk::Status create(const sdk::ProjectRecord& project) noexcept override;
    sdk::Status update(const sdk::ProjectRecord& project) noexcept override;
    sdk::Result<sdk::ProjectRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> list(std::string_view owner_key) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> listAll() noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    sdk::Result<std::vector<sdk::ProjectRecord>> select(const char* operation,
                                                        const std::string* owner_key) noexcept;

    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
