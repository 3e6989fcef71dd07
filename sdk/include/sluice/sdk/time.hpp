#pragma once

#include <chrono>

namespace sluice::sdk {

/// Wall-clock instants crossing the boundary; persisted with millisecond precision.
using TimePoint = std::chrono::system_clock::time_point;

}  // namespace sluice::sdk
