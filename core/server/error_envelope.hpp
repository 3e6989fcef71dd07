#pragma once

#include <string>

#include "sluice/sdk/http.hpp"

namespace sluice::core::server {

/// {"error":{"message":...,"type":...,"code":...,"param":...}} plus recovery fields for lost
/// hard pins. The one rendering of the default error dialect.
std::string renderErrorJson(const sdk::ErrorInfo& error);

/// Canned errors the host raises itself.
sdk::ErrorInfo notFoundError(std::string_view method, std::string_view path);
sdk::ErrorInfo methodNotAllowedError(std::string_view method, std::string_view path);
sdk::ErrorInfo internalError();

}  // namespace sluice::core::server
