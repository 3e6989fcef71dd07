#include "core/dispatch/pool_exhaustion.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace sluice::core::dispatch {

bool poolExhausted(const std::vector<routing::Exclusion>& excluded) noexcept {
    return !excluded.empty() &&
           std::all_of(excluded.begin(), excluded.end(),
                       [](const routing::Exclusion& exclusion) { return exclusion.exhausted; });
}

sdk::DispatchOutcome exhaustedOutcome(const std::vector<routing::Exclusion>& excluded,
                                      const std::string& pool, sdk::TimePoint now) {
    const auto earliest = routing::earliestEligible(excluded);
    const std::int64_t retry_after = routing::retryAfterSeconds(earliest, now);
    const std::string message = "every account of pool '" + pool + "' has reached its usage limit";
    nlohmann::json error{
        {"type", "usage_limit_reached"}, {"code", "usage_limit_reached"}, {"message", message}};
    if (earliest) {
        error["resets_at"] =
            std::chrono::ceil<std::chrono::seconds>(earliest->time_since_epoch()).count();
        error["resets_in_seconds"] = retry_after;
    }
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = {429, "usage_limit_reached", "usage_limit_reached", message, "", retry_after,
                     ""};
    outcome.upstream = {429,
                        {{"Content-Type", "application/json"}},
                        nlohmann::json{{"error", std::move(error)}}.dump()};
    return outcome;
}

}  // namespace sluice::core::dispatch
