#include "openai_errors.hpp"

#include <nlohmann/json.hpp>

#include "sluice/plugins/common/upstream_codes.hpp"

namespace sluice::plugins::route_openai {

namespace {

constexpr const char* kInvalid = "invalid_request_error";

sdk::ErrorInfo make(int status, const char* type, std::string code, std::string message,
                    std::string param = {}) {
    sdk::ErrorInfo error;
    error.http_status = status;
    error.type = type;
    error.code = std::move(code);
    error.message = std::move(message);
    error.param = std::move(param);
    return error;
}

}  // namespace

sdk::ErrorInfo unsupportedParameter(const std::string& param, const std::string& why) {
    return make(400, kInvalid, "unsupported_parameter",
                "Unsupported parameter: '" + param + "' is not supported by this gateway" +
                    (why.empty() ? "." : "; " + why + "."),
                param);
}

sdk::ErrorInfo unsupportedValue(const std::string& param, const std::string& message) {
    return make(400, kInvalid, "unsupported_value", message, param);
}

sdk::ErrorInfo invalidValue(const std::string& param, const std::string& message) {
    return make(400, kInvalid, "invalid_value", message, param);
}

sdk::ErrorInfo missingParameter(const std::string& param) {
    return make(400, kInvalid, "missing_required_parameter",
                "Missing required parameter: '" + param + "'.", param);
}

sdk::ErrorInfo invalidRequest(const std::string& message, const std::string& param) {
    return make(400, kInvalid, "invalid_request", message, param);
}

sdk::ErrorInfo unsupportedEndpoint() {
    return make(404, kInvalid, "unsupported_endpoint", "Unsupported OpenAI /v1 endpoint");
}

sdk::ErrorInfo storedNotFound(std::string_view what, const std::string& id) {
    return make(404, kInvalid, "not_found", std::string(what) + " with id '" + id + "' not found.");
}

sdk::ErrorInfo notCancellable(const std::string& id) {
    return make(400, kInvalid, "response_not_cancellable",
                "The response '" + id +
                    "' has completed. Only a running background response can be cancelled, and "
                    "this gateway runs no background responses.");
}

sdk::ErrorInfo notCompactable(const std::string& id, const std::string& why) {
    return make(400, kInvalid, "response_not_compactable",
                "The response '" + id + "' cannot be compacted: " + why + ".");
}

sdk::ErrorInfo modelNotAvailable(const std::string& model) {
    return make(400, kInvalid, "model_not_available",
                "The model '" + model + "' is not available in this pool.", "model");
}

sdk::ErrorInfo modelNotFound(const std::string& model) {
    return make(404, kInvalid, "model_not_found",
                "The model '" + model + "' does not exist in this pool.", "model");
}

sdk::ErrorInfo fileNotFound(const std::string& id) {
    return make(404, kInvalid, "file_not_found",
                "No file with id '" + id + "' exists in this pool.", "file_id");
}

sdk::ErrorInfo fileOwnerConflict() {
    return make(
        409, kInvalid, "file_assignment_conflict",
        "The request references files uploaded through different upstream accounts; use files "
        "uploaded together in one request.");
}

sdk::ErrorInfo upstreamError(const std::string& code) {
    return make(502, "server_error", code, "upstream request failed");
}

sdk::ErrorInfo redactedFailure(const sdk::DispatchOutcome& outcome) {
    const int status = outcome.upstream.status;
    if (status <= 0) {
        // The gateway's own verdict (no eligible account, pinned account unavailable, ...).
        return outcome.error;
    }
    const std::string code = common::upstreamErrorCode(outcome.upstream.body);
    sdk::ErrorInfo error;
    if (status == 429) {
        error = make(429, "rate_limit_error", code.empty() ? "rate_limit_exceeded" : code,
                     "upstream request failed");
    } else if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404) {
        error = make(status, kInvalid, code.empty() ? "upstream_rejected" : code,
                     "upstream request failed");
    } else {
        error = upstreamError(code.empty() ? "upstream_error" : code);
    }
    error.retry_after_seconds = outcome.error.retry_after_seconds;
    return error;
}

sdk::ErrorInfo failureFromEvent(std::string_view code) {
    const std::string safe = common::isSafeCode(code) ? std::string(code) : "upstream_error";
    if (safe == "context_length_exceeded" || safe == "invalid_prompt") {
        return make(400, kInvalid, safe, "upstream request failed");
    }
    if (safe == "rate_limit_exceeded" || safe == "usage_limit_reached" ||
        safe == "insufficient_quota") {
        return make(429, "rate_limit_error", safe, "upstream request failed");
    }
    return upstreamError(safe);
}

}  // namespace sluice::plugins::route_openai
