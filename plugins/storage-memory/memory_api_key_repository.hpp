#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Pool API keys keyed by prefix. Thread-safe; borrows the backend's state.
class MemoryApiKeyRepository final : public sdk::ApiKeyRepository {
public:
    explicit MemoryApiKeyRepository(MemoryState& state) : state_(state) {}

    sdk::Status create(const sdk::ApiKeyRecord& key) noexcept override;
    sdk::Result<sdk::ApiKeyRecord> findByPrefix(std::string_view prefix) noexcept override;
    /// Ordered by creation time.
    sdk::Result<std::vector<sdk::ApiKeyRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setPolicy(std::string_view prefix, std::string_view policy_json,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setHash(std::string_view prefix, std::string_view hash,
                        sdk::TimePoint updated_at) noexcept override;
    /// Never moves last_used_at backwards: write-behind batches may arrive out of order.
    sdk::Status touch(std::string_view prefix, sdk::TimePoint used_at) noexcept override;

private:
    /// Applies `change` to the key under the lock; NotFound when there is none.
    template <class Change>
    sdk::Status modify(const char* operation, std::string_view prefix, Change&& change) noexcept;

    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
