#include "customer_errors.hpp"

#include <array>

namespace sluice::plugins::route_customer {

namespace {

struct ErrorRow {
    sdk::StatusCode status;
    std::string_view operation;  ///< empty: every operation
    int http_status;
    const char* type;
    const char* code;
};

// First match wins: an operation's own row before the general one.
constexpr std::array<ErrorRow, 14> kErrors{{
    {sdk::StatusCode::PermissionDenied, "billing.stripe_event", 400, "invalid_request_error",
     "invalid_signature"},
    {sdk::StatusCode::NotFound, "billing.stripe_event", 404, "not_found_error",
     "customer_not_found"},
    {sdk::StatusCode::Unavailable, "billing.stripe_event", 503, "server_error",
     "stripe_webhook_off"},
    {sdk::StatusCode::FailedPrecondition, "customer.key.rotate", 429, "rate_limit_error",
     "rotation_too_soon"},
    {sdk::StatusCode::FailedPrecondition, "customer.keys.create", 409, "invalid_request_error",
     "too_many_keys"},
    {sdk::StatusCode::NotFound, "customer.keys.revoke", 404, "not_found_error", "key_not_found"},
    {sdk::StatusCode::PermissionDenied, "", 403, "permission_error", "no_customer_wallet"},
    {sdk::StatusCode::InvalidArgument, "", 400, "invalid_request_error", "invalid_request"},
    {sdk::StatusCode::NotFound, "", 404, "not_found_error", "not_found"},
    {sdk::StatusCode::AlreadyExists, "", 409, "invalid_request_error", "conflict"},
    {sdk::StatusCode::FailedPrecondition, "", 409, "invalid_request_error", "conflict"},
    {sdk::StatusCode::Unavailable, "", 503, "server_error", "billing_unavailable"},
    {sdk::StatusCode::Internal, "", 500, "server_error", "internal_error"},
    {sdk::StatusCode::Ok, "", 500, "server_error", "internal_error"},
}};

}  // namespace

sdk::ErrorInfo operationError(std::string_view operation, const sdk::Status& status) {
    for (const ErrorRow& row : kErrors) {
        if (row.status == status.code() && (row.operation.empty() || row.operation == operation)) {
            return {row.http_status, row.type, row.code, status.message(), "", 0, ""};
        }
    }
    return {500, "server_error", "internal_error", status.message(), "", 0, ""};
}

sdk::ErrorInfo invalidParameter(const std::string& param, const std::string& message) {
    return {400, "invalid_request_error", "invalid_request", message, param, 0, ""};
}

}  // namespace sluice::plugins::route_customer
