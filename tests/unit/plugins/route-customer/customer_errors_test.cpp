#include "customer_errors.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_customer {
namespace {

using sdk::StatusCode;

TEST(CustomerErrorsTest, EachFailureHasItsStatusTypeAndCodeWithTheOperationsMessage) {
    struct Case {
        const char* operation;
        StatusCode status;
        int http_status;
        const char* code;
    };
    const Case cases[] = {
        {"customer.profile", StatusCode::PermissionDenied, 403, "no_customer_wallet"},
        {"customer.key.rotate", StatusCode::FailedPrecondition, 429, "rotation_too_soon"},
        {"customer.keys.create", StatusCode::FailedPrecondition, 409, "too_many_keys"},
        {"customer.keys.revoke", StatusCode::FailedPrecondition, 409, "conflict"},
        {"customer.keys.revoke", StatusCode::NotFound, 404, "key_not_found"},
        {"customer.profile", StatusCode::NotFound, 404, "not_found"},
        {"customer.token_usage", StatusCode::InvalidArgument, 400, "invalid_request"},
        {"customer.wallet", StatusCode::Unavailable, 503, "billing_unavailable"},
        {"customer.wallet", StatusCode::Internal, 500, "internal_error"},
    };
    for (const Case& c : cases) {
        const sdk::ErrorInfo error = operationError(c.operation, {c.status, "why"});
        EXPECT_EQ(error.http_status, c.http_status) << c.operation << " " << c.code;
        EXPECT_EQ(error.code, c.code) << c.operation;
        EXPECT_EQ(error.message, "why");
    }
}

TEST(CustomerErrorsTest, ABadParameterIsNamed) {
    const sdk::ErrorInfo error = invalidParameter("limit", "bad");
    EXPECT_EQ(error.http_status, 400);
    EXPECT_EQ(error.type, "invalid_request_error");
    EXPECT_EQ(error.param, "limit");
}

}  // namespace
}  // namespace sluice::plugins::route_customer
