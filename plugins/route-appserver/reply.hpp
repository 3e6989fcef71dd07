#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "sluice/sdk/http.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_appserver {

/// What a handler produces: a JSON body for 200, or the typed error to answer with.
using Reply = std::variant<nlohmann::json, sdk::ErrorInfo>;

inline sdk::ErrorInfo badRequest(std::string message, std::string param = {},
                                 std::string code = "invalid_request") {
    return {400, "invalid_request_error", std::move(code), std::move(message), std::move(param), 0,
            {}};
}

/// 404 for anything the caller may not see, so ids of other owners never leak.
inline sdk::ErrorInfo notFound(std::string message, std::string code = "not_found") {
    return {404, "not_found_error", std::move(code), std::move(message), {}, 0, {}};
}

inline sdk::ErrorInfo tooLarge(std::string message) {
    return {413, "invalid_request_error", "too_large", std::move(message), {}, 0, {}};
}

inline sdk::ErrorInfo unavailable(std::string message, std::string code = "appserver_unavailable") {
    return {503, "server_error", std::move(code), std::move(message), {}, 1, {}};
}

/// Why no app-server could be had for an owner, as an answer.
inline sdk::ErrorInfo serverRefused(const sdk::Status& status) {
    switch (status.code()) {
        case sdk::StatusCode::NotFound:
            return notFound(status.message(), "owner_not_found");
        case sdk::StatusCode::FailedPrecondition:
        case sdk::StatusCode::PermissionDenied:
            return {403, "permission_error", "owner_inactive", status.message(), {}, 0, {}};
        default:
            return unavailable(status.message());
    }
}

inline bool isError(const Reply& reply) {
    return std::holds_alternative<sdk::ErrorInfo>(reply);
}

}  // namespace sluice::plugins::route_appserver
