#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "appserver_config.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_appserver {

/// How a project thread and its turns run: the family's defaults, overridden per request by
/// `model`, `effort`, `approvalPolicy`, `sandbox` (a mode), legacy `sandboxPolicy` (an object)
/// and `permissions` / `permissionProfile` (a profile id such as ":workspace").
struct TurnOptions {
    std::string model;
    std::string effort;
    nlohmann::json approval_policy;  ///< a policy name or a granular policy object
    std::string sandbox;             ///< thread sandbox mode, e.g. "workspace-write"
    nlohmann::json sandbox_policy;   ///< turn sandboxPolicy object; null when not asked for
    nlohmann::json permissions;      ///< profile id; null when not asked for
};

/// The options of a request body (a JSON object). Errors: 400 for a wrong type or an unknown
/// value, 403 `full_access_disabled` for a danger-full-access sandbox or profile when the
/// family does not allow it.
std::variant<TurnOptions, sdk::ErrorInfo> parseTurnOptions(const nlohmann::json& body,
                                                           const TurnDefaults& defaults,
                                                           bool allow_full_access);

/// Parameters of thread/start and thread/resume for a workspace.
nlohmann::json threadParams(const TurnOptions& options, const std::string& cwd);
/// Parameters of turn/start.
nlohmann::json turnParams(const TurnOptions& options, const std::string& thread_id,
                          const std::string& cwd, nlohmann::json input);

/// The turn input of a request: `prompt` (text) or `input` (app-server input items, passed
/// through). Error when neither is there or they are malformed.
std::variant<nlohmann::json, sdk::ErrorInfo> turnInput(const nlohmann::json& body, bool required);

}  // namespace sluice::plugins::route_appserver
