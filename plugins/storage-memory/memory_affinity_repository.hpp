#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Conversation-to-account affinities keyed by hashed key; a row is expired once `now` reaches
/// its expires_at. Thread-safe; borrows the backend's state.
class MemoryAffinityRepository final : public sdk::AffinityRepository {
public:
    explicit MemoryAffinityRepository(MemoryState& state) : state_(state) {}

    /// Inserts or replaces by key.
    sdk::Status put(const sdk::AffinityRecord& record) noexcept override;
    sdk::Result<sdk::AffinityRecord> get(std::string_view key,
                                         sdk::TimePoint now) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
