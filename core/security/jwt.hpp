#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "sluice/sdk/time.hpp"

namespace sluice::core::security {

/// The claims of a JWT, read without verifying its signature (the tokens come from the
/// operator's login or straight from the token endpoint); nullopt when it is not a JWT.
std::optional<nlohmann::json> jwtClaims(std::string_view token);

/// The `exp` claim of a JWT, when present.
std::optional<sdk::TimePoint> jwtExpiry(std::string_view token);

}  // namespace sluice::core::security
