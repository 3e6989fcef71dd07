#pragma once

#include <Poco/Net/HTTPResponse.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "tests/emulator/script.hpp"

namespace sluice::emulator {

/// The three ways the backend reports an account's windows, all from the same RateLimits:
/// response headers (§5.1), the codex.rate_limits stream event (§4) and /wham/usage (§5.2).

/// The §5.1 headers; with `drift_headers` also the §12 ones (reset-after-seconds from `now`,
/// plan type, active limit, credits).
void addRateLimitHeaders(Poco::Net::HTTPResponse& response, const AccountSpec& profile,
                         std::int64_t now);
nlohmann::ordered_json rateLimitsEvent(const AccountSpec& profile);
/// `limit_reached` also turns true while the account's steady mode is usage_limit, so a usage
/// probe agrees with what /responses answers.
nlohmann::json usagePayload(const AccountSpec& profile, std::int64_t now);

/// The unix time a usage_limit 429 names: `resets_in` from now, else the primary window's
/// reset, else one hour.
std::int64_t usageLimitResetAt(const Behaviour& behaviour, const RateLimits& limits,
                               std::int64_t now);

}  // namespace sluice::emulator
