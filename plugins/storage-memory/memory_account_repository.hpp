#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Upstream accounts keyed by id; removing one drops its quota snapshots. Thread-safe; borrows
/// the backend's state.
class MemoryAccountRepository final : public sdk::AccountRepository {
public:
    explicit MemoryAccountRepository(MemoryState& state) : state_(state) {}

    sdk::Status create(const sdk::AccountRecord& account) noexcept override;
    sdk::Status update(const sdk::AccountRecord& account) noexcept override;
    sdk::Result<sdk::AccountRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::AccountRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status updateStatus(std::string_view id, sdk::AccountStatus status,
                             std::string_view reason, sdk::TimePoint updated_at) noexcept override;
    /// Also clears the status reason: new credentials start a fresh story.
    sdk::Status updateCredentials(std::string_view id, const sdk::AccountCredentials& credentials,
                                  sdk::AccountStatus status,
                                  sdk::TimePoint updated_at) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
