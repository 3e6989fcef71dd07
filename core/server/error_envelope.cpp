#include "core/server/error_envelope.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::server {

std::string renderErrorJson(const sdk::ErrorInfo& error) {
    nlohmann::json body = {
        {"message", error.message},
        {"type", error.type},
        {"code", error.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.code)},
        {"param", error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param)},
    };
    if (!error.recovery_kind.empty()) {
        body["retryable"] = false;
        body["recovery_kind"] = error.recovery_kind;
    }
    return nlohmann::json{{"error", std::move(body)}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

sdk::ErrorInfo notFoundError(std::string_view method, std::string_view path) {
    return {404,         "invalid_request_error",
            "not_found", "no route for " + std::string(method) + " " + std::string(path),
            "",          0,
            ""};
}

sdk::ErrorInfo methodNotAllowedError(std::string_view method, std::string_view path) {
    return {405,
            "invalid_request_error",
            "method_not_allowed",
            std::string(method) + " is not allowed on " + std::string(path),
            "",
            0,
            ""};
}

sdk::ErrorInfo internalError() {
    return {
        500, "server_error", "internal_error", "the gateway failed to handle the request", "", 0,
        ""};
}

}  // namespace sluice::core::server
