#pragma once

#include <string>
#include <string_view>

#include "sluice/sdk/http.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_customer {

/// The error a customer route answers when its operation failed: HTTP status, type and code
/// from a table keyed by the status code (with the operation's own code where it has one), the
/// operation's message. Any thread.
sdk::ErrorInfo operationError(std::string_view operation, const sdk::Status& status);

/// 400 invalid_request_error naming the offending parameter.
sdk::ErrorInfo invalidParameter(const std::string& param, const std::string& message);

}  // namespace sluice::plugins::route_customer
