#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::integration {

/// Registers the route family "operations_probe" (builtin plugin "route-operations-probe"):
/// `POST <mount>/{admin,mcp,key}/{operation}` runs the operation through the request's
/// sdk::Gateway::operate as an admin token, an MCP token or a Pool API key, so tests reach the
/// operations catalogue through the real authenticator before route-admin and route-mcp exist.
/// Answers 200 with the result, or the status code's HTTP status with {"error": message}.
void registerOperationsRoute(sdk::Registrar& registrar);

}  // namespace sluice::integration
