#pragma once

#include <atomic>
#include <vector>

#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::admission::testing {

/// Stored usage rollups the admission controller reads once per key; counts its queries.
class FakeUsageRepository final : public sdk::UsageRepository {
public:
    std::vector<sdk::UsageBucket> buckets;
    bool available = true;
    std::atomic<int> queries{0};

    sdk::Status add(const std::vector<sdk::UsageBucket>& deltas) noexcept override {
        buckets.insert(buckets.end(), deltas.begin(), deltas.end());
        return {};
    }

    sdk::Result<std::vector<sdk::UsageBucket>> query(
        const sdk::UsageQuery& query) noexcept override {
        ++queries;
        if (!available) {
            return sdk::Status(sdk::StatusCode::Unavailable, "storage is down");
        }
        std::vector<sdk::UsageBucket> found;
        for (const auto& bucket : buckets) {
            if ((!query.key_prefix || bucket.key_prefix == *query.key_prefix) &&
                bucket.day >= query.from_day && bucket.day <= query.to_day) {
                found.push_back(bucket);
            }
        }
        return found;
    }
};

}  // namespace sluice::core::admission::testing
