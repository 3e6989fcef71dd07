#include "anthropic_errors.hpp"

#include "sluice/plugins/common/upstream_codes.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

struct StatusRow {
    int from;
    int to;
    int status;  ///< what the client sees; 0 keeps the gateway's status
    const char* type;
};

// Anthropic's error types by HTTP status; the first row that covers the status wins.
constexpr StatusRow kStatusTable[] = {
    {401, 401, 401, "authentication_error"}, {402, 402, 402, "billing_error"},
    {403, 403, 403, "permission_error"},     {404, 404, 404, "not_found_error"},
    {413, 413, 413, "request_too_large"},    {429, 429, 429, "rate_limit_error"},
    {503, 503, 529, "overloaded_error"},     {529, 529, 529, "overloaded_error"},
    {400, 499, 0, "invalid_request_error"},
};

sdk::ErrorInfo make(int status, const char* type, std::string code, std::string message) {
    return {status, type, std::move(code), std::move(message), "", 0, ""};
}

}  // namespace

AnthropicError toAnthropic(const sdk::ErrorInfo& error) {
    AnthropicError out{500, "api_error", error.message, error.retry_after_seconds};
    for (const StatusRow& row : kStatusTable) {
        if (error.http_status >= row.from && error.http_status <= row.to) {
            out.status = row.status == 0 ? error.http_status : row.status;
            out.type = row.type;
            break;
        }
    }
    if (out.message.empty()) {
        out.message = error.code.empty() ? "request failed" : error.code;
    }
    return out;
}

nlohmann::json errorBody(const AnthropicError& error) {
    return {{"type", "error"}, {"error", {{"type", error.type}, {"message", error.message}}}};
}

sdk::ErrorInfo invalidRequest(const std::string& message) {
    return make(400, "invalid_request_error", "invalid_request", message);
}

sdk::ErrorInfo unsupportedPath(std::string_view path) {
    return make(404, "not_found_error", "unsupported_endpoint",
                "This gateway does not serve " + std::string(path) +
                    "; it serves POST /v1/messages and POST /v1/messages/count_tokens.");
}

sdk::ErrorInfo upstreamError(const std::string& code) {
    return make(502, "api_error", code, "upstream request failed (" + code + ")");
}

sdk::ErrorInfo rejectedDispatch(const sdk::DispatchOutcome& outcome) {
    const int status = outcome.upstream.status;
    if (status <= 0) {
        return outcome.error;  // the gateway's own verdict: admission, no eligible account, ...
    }
    const std::string code = common::upstreamErrorCode(outcome.upstream.body);
    sdk::ErrorInfo error;
    if (status == 429) {
        const std::string named = code.empty() ? "rate_limit_exceeded" : code;
        error = make(429, "rate_limit_error", named, "upstream rate limit (" + named + ")");
    } else if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404) {
        const std::string named = code.empty() ? "upstream_rejected" : code;
        error = make(400, "invalid_request_error", named,
                     "the upstream rejected the request (" + named + ")");
    } else {
        error = upstreamError(code.empty() ? "upstream_error" : code);
    }
    error.retry_after_seconds = outcome.error.retry_after_seconds;
    return error;
}

sdk::ErrorInfo failedResponse(std::string_view code) {
    const std::string safe = common::isSafeCode(code) ? std::string(code) : "upstream_error";
    if (safe == "context_length_exceeded" || safe == "invalid_prompt") {
        return make(400, "invalid_request_error", safe, "upstream request failed (" + safe + ")");
    }
    if (safe == "rate_limit_exceeded" || safe == "usage_limit_reached" ||
        safe == "insufficient_quota") {
        return make(429, "rate_limit_error", safe, "upstream rate limit (" + safe + ")");
    }
    return upstreamError(safe);
}

}  // namespace sluice::plugins::route_anthropic
