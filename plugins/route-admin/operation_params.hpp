#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_admin {

/// An operation's JSON parameters from a REST request: the JSON body (an object; empty means
/// none), then the parameters `route_path` names ("{customer}"), then the query parameters, each
/// query value converted to the type `input_schema` declares for it ("limit=20" becomes 20). The
/// operation checks the result against its schema, so unknown names are refused there with their
/// name.
sdk::Result<nlohmann::json> operationParams(const sdk::Exchange& exchange,
                                            std::string_view route_path, std::string_view body,
                                            const nlohmann::json& input_schema);

}  // namespace sluice::plugins::route_admin
