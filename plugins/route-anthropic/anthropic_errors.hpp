#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_anthropic {

// The typed errors of the Messages surface, rendered in Anthropic's envelope
// {"type":"error","error":{"type","message"}}. Pure; any thread.

/// An error as an Anthropic client sees it: the status its SDK maps to a typed exception.
struct AnthropicError {
    int status = 500;
    std::string type;  ///< invalid_request_error, authentication_error, rate_limit_error, ...
    std::string message;
    std::int64_t retry_after_seconds = 0;
};

/// The Anthropic rendering of any gateway error, by its status (table in anthropic_errors.cpp):
/// 400 invalid_request_error, 401 authentication_error, 403 permission_error, 404
/// not_found_error, 413 request_too_large, 429 rate_limit_error (with retry-after), 503 and
/// 529 overloaded_error (529), any other 5xx api_error (500).
AnthropicError toAnthropic(const sdk::ErrorInfo& error);

/// {"type":"error","error":{"type","message"}}.
nlohmann::json errorBody(const AnthropicError& error);

/// 400 invalid_request_error naming the offending field.
sdk::ErrorInfo invalidRequest(const std::string& message);
/// 404 not_found_error for a Messages path this gateway does not serve.
sdk::ErrorInfo unsupportedPath(std::string_view path);
/// 502 (rendered as 500 api_error) with a fixed message: upstream words never reach clients.
sdk::ErrorInfo upstreamError(const std::string& code);

/// The error for a dispatch whose upstream answers all failed: the gateway's own verdict as it
/// is, an upstream answer reduced to its status class and a safe code.
sdk::ErrorInfo rejectedDispatch(const sdk::DispatchOutcome& outcome);
/// The error for a Responses failure event (`response.failed`, `error`): its code when it is a
/// plain identifier, never its message.
sdk::ErrorInfo failedResponse(std::string_view code);

}  // namespace sluice::plugins::route_anthropic
