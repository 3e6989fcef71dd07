#pragma once

// Checks a route family's config parser makes beyond what its schema can say; each failure is
// a ConfigError naming the value's YAML path. Config time only (they throw).

#include <chrono>
#include <string>
#include <string_view>

#include "sluice/sdk/config.hpp"

namespace sluice::plugins::common {

/// Throws sdk::ConfigError at `key`'s path with `why`.
[[noreturn]] void refuseConfig(const sdk::ConfigNode& config, std::string_view key,
                               const std::string& why);

/// The duration at `key`, which must be longer than zero.
std::chrono::milliseconds positiveDuration(const sdk::ConfigNode& config, std::string_view key);

}  // namespace sluice::plugins::common
