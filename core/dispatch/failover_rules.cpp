#include "core/dispatch/failover_rules.hpp"

#include <nlohmann/json.hpp>

#include "core/security/bounded_json.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

// Rows must sit at their enumerator's index: ruleFor is an index, not a search.
constexpr bool rowsInOrder() {
    for (std::size_t i = 0; i < kFailureRules.size(); ++i) {
        if (static_cast<std::size_t>(kFailureRules[i].failure) != i) {
            return false;
        }
    }
    return true;
}
static_assert(rowsInOrder(), "kFailureRules rows must follow the Failure enumerators");

/// An error answer: statuses in [low, high] with this body code (empty: any) are `failure`.
struct AnswerRule {
    int low;
    int high;
    std::string_view code;
    Failure failure;
};

// First match wins.
constexpr std::array<AnswerRule, 9> kAnswerRules{{
    {429, 429, "usage_limit_reached", Failure::UsageLimit},
    {429, 429, "", Failure::RateLimited},
    {503, 503, "", Failure::Unavailable},
    {500, 599, "", Failure::ServerError},
    {401, 401, "", Failure::Unauthorized},
    {403, 403, "", Failure::Forbidden},
    {400, 499, "model_not_found", Failure::ModelUnavailable},
    {404, 404, "model_unavailable", Failure::ModelUnavailable},
    {400, 499, "", Failure::ClientError},
}};

// Failing first events worth another account: the next one may well succeed.
constexpr std::array<std::string_view, 12> kRetryableFirstEvents{
    "server_error",
    "server_is_overloaded",
    "overloaded_error",
    "slow_down",
    "upstream_request_timeout",
    "stream_incomplete",
    "websocket_connection_limit_reached",
    "rate_limit_exceeded",
    "usage_limit_reached",
    "insufficient_quota",
    "usage_not_included",
    "internal_error"};

}  // namespace

const FailureRule& ruleFor(Failure failure) noexcept {
    return kFailureRules[static_cast<std::size_t>(failure)];
}

Failure classifyAnswer(int status, std::string_view code) noexcept {
    for (const AnswerRule& rule : kAnswerRules) {
        if (status >= rule.low && status <= rule.high && (rule.code.empty() || rule.code == code)) {
            return rule.failure;
        }
    }
    return status >= 500 ? Failure::ServerError : Failure::ClientError;
}

Failure classifyUpgrade(int status) noexcept {
    if (status == 0) {
        return Failure::NetworkError;
    }
    if (status == 426 || (status >= 200 && status < 300)) {
        return Failure::UpgradeRefused;
    }
    // Any other answer that is not a 101 is as good as a failed exchange.
    return status >= 400 ? classifyAnswer(status, "") : Failure::NetworkError;
}

bool isRetryableFirstEvent(std::string_view code) noexcept {
    for (const std::string_view retryable : kRetryableFirstEvents) {
        if (code == retryable) {
            return true;
        }
    }
    return false;
}

std::string errorCodeOf(std::string_view body) {
    const json event = security::parseJson(body);
    if (event.is_discarded() || !event.is_object()) {
        return "";
    }
    for (const json* holder : {&event, event.contains("response") ? &event["response"] : nullptr}) {
        if (holder == nullptr || !holder->is_object()) {
            continue;
        }
        const auto error = holder->find("error");
        if (error != holder->end() && error->is_object()) {
            for (const char* key : {"code", "type"}) {
                const auto it = error->find(key);
                if (it != error->end() && it->is_string()) {
                    return it->get<std::string>();
                }
            }
        }
    }
    const auto code = event.find("code");
    return code != event.end() && code->is_string() ? code->get<std::string>() : "";
}

}  // namespace sluice::core::dispatch
