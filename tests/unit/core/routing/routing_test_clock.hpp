#pragma once

#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// The instant the routing tests observe from: fixed, so windows and resets are exact.
inline const sdk::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

}  // namespace sluice::core::routing
