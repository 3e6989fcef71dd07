#pragma once

#include "sluice/sdk/storage_records.hpp"

namespace sluice::core::accounting {

/// Adds `part`'s counts to `sum` (dimensions untouched). Pure.
void addUsageCounts(sdk::UsageBucket& sum, const sdk::UsageBucket& part);

}  // namespace sluice::core::accounting
