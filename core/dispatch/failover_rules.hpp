#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::core::dispatch {

/// Every way an attempt on one account can fail, HTTP and websocket alike. What each means is
/// one row of kFailureRules; nothing else in the data plane decides it.
enum class Failure : std::uint8_t {
    UsageLimit,        ///< 429 usage_limit_reached: the account's quota is used up
    RateLimited,       ///< any other 429
    Unavailable,       ///< 503
    ServerError,       ///< any other 5xx
    Unauthorized,      ///< 401: the account's access token is stale
    Forbidden,         ///< 403
    ModelUnavailable,  ///< model_not_found, or a 404 model_unavailable
    ClientError,       ///< any other 4xx: the request's own fault, the client's to see
    NetworkError,      ///< the connection failed before an answer began
    HeadTimeout,       ///< no answer head within the first-byte timeout
    NoTimeLeft,        ///< the request's answer deadline passed before the attempt began
    SilentBeforeOutput,
    CutBeforeOutput,
    FirstEventFailed,  ///< the held-back stream's first event failed with a retryable code
    EventTooLarge,     ///< an event larger than the parser holds, before any output
    UpgradeRefused,    ///< the upstream serves no websockets here
    Shutdown,          ///< the gateway's shutdown cut the attempt short
    CutAfterOutput,
    SilentAfterOutput,
    NetworkErrorAfterOutput,  ///< the connection broke after the stream's terminal event
    EventTooLargeAfterOutput,
    TurnUsageLimit,  ///< a websocket turn failed because the account's quota is used up
    TurnFailed,      ///< a websocket turn failed otherwise
};

/// One row of the classification: what a failure means for failover, the account, the strategy
/// and the client.
struct FailureRule {
    Failure failure;
    std::string_view reason;       ///< stable code in traces; empty: "upstream_<status>"
    std::string_view metric;       ///< one of DispatchMetrics::kReasonClasses
    bool fails_over;               ///< another account may try, if nothing reached the client yet
    bool judges_circuit;           ///< the account's circuit hears of it (else it stays neutral)
    bool account_fault;            ///< counts as a circuit failure and demotes the account
    bool quota_evidence;           ///< the answer's body may say when the account's quota resets
    bool renews_token;             ///< the account's token is refreshed behind the request
    sdk::OutcomeKind outcome;      ///< what the pool's strategy hears
    int client_status;             ///< the client's status when the upstream gave none
    std::string_view client_code;  ///< the client's error code when this failure is the last
    bool retry_after;              ///< the client's answer says when an account can serve again
};

using sdk::OutcomeKind;

// clang-format off
inline constexpr std::array<FailureRule, 23> kFailureRules{{
    // failure                             reason                       metric              over   circuit fault  quota  token  strategy                     client
    {Failure::UsageLimit,                  "usage_limit_reached",       "usage_limit",      true,  true,   true,  true,  false, OutcomeKind::QuotaExhausted, 429, "upstream_failed",      true},
    {Failure::RateLimited,                 "upstream_429",              "rate_limited",     true,  true,   true,  true,  false, OutcomeKind::RateLimited,    429, "upstream_failed",      true},
    {Failure::Unavailable,                 "upstream_5xx",              "server_error",     true,  true,   true,  true,  false, OutcomeKind::ServerError,    503, "upstream_failed",      true},
    {Failure::ServerError,                 "upstream_5xx",              "server_error",     true,  true,   true,  true,  false, OutcomeKind::ServerError,    502, "upstream_failed",      false},
    {Failure::Unauthorized,                "upstream_401",              "unauthorized",     true,  false,  false, true,  true,  OutcomeKind::Rejected,       401, "upstream_failed",      false},
    {Failure::Forbidden,                   "upstream_unauthorized",     "unauthorized",     true,  true,   true,  true,  false, OutcomeKind::ServerError,    403, "upstream_failed",      false},
    {Failure::ModelUnavailable,            "model_unavailable",         "model_unavailable",true,  true,   true,  true,  false, OutcomeKind::ServerError,    404, "upstream_failed",      false},
    {Failure::ClientError,                 "",                          "other",            false, true,   false, true,  false, OutcomeKind::Rejected,       400, "upstream_failed",      false},
    {Failure::NetworkError,                "network_error",             "network",          true,  true,   true,  false, false, OutcomeKind::NetworkError,   502, "upstream_failed",      false},
    {Failure::HeadTimeout,                 "upstream_timeout",          "timeout",          true,  true,   true,  false, false, OutcomeKind::NetworkError,   504, "upstream_timeout",     false},
    {Failure::NoTimeLeft,                  "upstream_timeout",          "timeout",          true,  false,  false, false, false, OutcomeKind::NetworkError,   504, "upstream_timeout",     false},
    {Failure::SilentBeforeOutput,          "upstream_timeout",          "timeout",          true,  true,   true,  false, false, OutcomeKind::NetworkError,   504, "upstream_timeout",     false},
    {Failure::CutBeforeOutput,             "stream_cut_before_output",  "stream_cut",       true,  true,   true,  false, false, OutcomeKind::ServerError,    502, "upstream_failed",      false},
    {Failure::FirstEventFailed,            "first_event_failed",        "first_event",      true,  true,   true,  true,  false, OutcomeKind::ServerError,    502, "upstream_failed",      false},
    {Failure::EventTooLarge,               "event_too_large",           "other",            true,  true,   false, false, false, OutcomeKind::Rejected,       502, "upstream_failed",      false},
    {Failure::UpgradeRefused,              "upgrade_refused",           "other",            true,  false,  false, false, false, OutcomeKind::Rejected,       426, "websocket_unavailable", false},
    {Failure::Shutdown,                    "server_shutdown",           "other",            false, false,  false, false, false, OutcomeKind::Rejected,       503, "server_shutting_down", false},
    {Failure::CutAfterOutput,              "stream_cut",                "stream_cut",       false, true,   true,  false, false, OutcomeKind::ServerError,    502, "upstream_stream_interrupted", false},
    {Failure::SilentAfterOutput,           "upstream_timeout",          "timeout",          false, true,   true,  false, false, OutcomeKind::NetworkError,   502, "upstream_stream_interrupted", false},
    {Failure::NetworkErrorAfterOutput,     "network_error",             "network",          false, true,   true,  false, false, OutcomeKind::NetworkError,   502, "upstream_stream_interrupted", false},
    {Failure::EventTooLargeAfterOutput,    "event_too_large",           "other",            false, true,   false, false, false, OutcomeKind::Rejected,       502, "upstream_stream_interrupted", false},
    {Failure::TurnUsageLimit,              "usage_limit_reached",       "usage_limit",      false, false,  false, true,  false, OutcomeKind::QuotaExhausted, 429, "upstream_failed",      false},
    {Failure::TurnFailed,                  "turn_failed",               "other",            false, false,  false, true,  false, OutcomeKind::ServerError,    502, "upstream_failed",      false},
}};
// clang-format on

/// The row of `failure`.
const FailureRule& ruleFor(Failure failure) noexcept;

/// What an upstream error answer (status >= 400) is, from its status and its body's error code.
Failure classifyAnswer(int status, std::string_view code) noexcept;
/// What a failed websocket upgrade is: `status` 0 when no answer came.
Failure classifyUpgrade(int status) noexcept;
/// Whether a failing first event with `code` is worth another account.
bool isRetryableFirstEvent(std::string_view code) noexcept;

/// The error code an upstream body or failure event carries (error.code, error.type, code).
std::string errorCodeOf(std::string_view body);

}  // namespace sluice::core::dispatch
