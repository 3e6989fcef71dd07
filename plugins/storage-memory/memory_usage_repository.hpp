#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Daily usage buckets, summed on add. Thread-safe.
class MemoryUsageRepository final : public sdk::UsageRepository {
public:
    explicit MemoryUsageRepository(MemoryState& state) : state_(state) {}

    sdk::Status add(const std::vector<sdk::UsageBucket>& deltas) noexcept override;
    sdk::Result<std::vector<sdk::UsageBucket>> query(
        const sdk::UsageQuery& query) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
