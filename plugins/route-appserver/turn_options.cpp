#include "turn_options.hpp"

#include <array>

#include "reply.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

/// Sandbox modes: the config/CLI spelling and the wire enum of sandboxPolicy.type.
struct SandboxName {
    const char* mode;
    const char* wire;
};

constexpr std::array<SandboxName, 3> kSandboxes{{
    {"read-only", "readOnly"},
    {"workspace-write", "workspaceWrite"},
    {"danger-full-access", "dangerFullAccess"},
}};

constexpr std::array<const char*, 4> kApprovalPolicies{"untrusted", "on-failure", "on-request",
                                                       "never"};
constexpr std::array<const char*, 6> kEfforts{"none", "minimal", "low", "medium", "high", "xhigh"};

const SandboxName* findSandbox(const std::string& name) {
    for (const auto& sandbox : kSandboxes) {
        if (name == sandbox.mode || name == sandbox.wire) {
            return &sandbox;
        }
    }
    return nullptr;
}

template <std::size_t N>
bool oneOf(const std::string& value, const std::array<const char*, N>& allowed) {
    for (const char* candidate : allowed) {
        if (value == candidate) {
            return true;
        }
    }
    return false;
}

sdk::ErrorInfo fullAccessRefused(const std::string& param) {
    return {403,
            "permission_error",
            "full_access_disabled",
            "danger-full-access is not enabled on this gateway (allow_full_access)",
            param,
            0,
            {}};
}

/// A string field: absent keeps `target`; present must be a non-empty string.
std::optional<sdk::ErrorInfo> readString(const json& body, const char* key, std::string& target) {
    const auto found = body.find(key);
    if (found == body.end() || found->is_null()) {
        return std::nullopt;
    }
    if (!found->is_string() || found->get<std::string>().empty()) {
        return badRequest(std::string(key) + " must be a non-empty string", key);
    }
    target = found->get<std::string>();
    return std::nullopt;
}

std::optional<sdk::ErrorInfo> readSandboxPolicy(const json& body, TurnOptions& options,
                                                bool allow_full_access) {
    const auto found = body.find("sandboxPolicy");
    if (found == body.end() || found->is_null()) {
        if (body.contains("sandbox") && !body["sandbox"].is_null()) {
            options.sandbox_policy = {{"type", findSandbox(options.sandbox)->wire}};
        }
        return std::nullopt;
    }
    const SandboxName* sandbox = nullptr;
    if (found->is_string()) {
        sandbox = findSandbox(found->get<std::string>());
        options.sandbox_policy = sandbox ? json{{"type", sandbox->wire}} : json();
    } else if (found->is_object() && found->contains("type") && (*found)["type"].is_string()) {
        sandbox = findSandbox((*found)["type"].get<std::string>());
        options.sandbox_policy = *found;
        if (sandbox) {
            options.sandbox_policy["type"] = sandbox->wire;
        }
    }
    if (sandbox == nullptr) {
        return badRequest("sandboxPolicy must be readOnly, workspaceWrite or dangerFullAccess",
                          "sandboxPolicy");
    }
    if (std::string(sandbox->wire) == "dangerFullAccess" && !allow_full_access) {
        return fullAccessRefused("sandboxPolicy");
    }
    return std::nullopt;
}

std::optional<sdk::ErrorInfo> readPermissions(const json& body, TurnOptions& options,
                                              bool allow_full_access) {
    for (const char* key : {"permissions", "permissionProfile"}) {
        const auto found = body.find(key);
        if (found == body.end() || found->is_null()) {
            continue;
        }
        if (!found->is_string() || found->get<std::string>().empty()) {
            return badRequest(std::string(key) + " must be a permission profile id", key);
        }
        if (found->get<std::string>().find("danger-full-access") != std::string::npos &&
            !allow_full_access) {
            return fullAccessRefused(key);
        }
        options.permissions = *found;
    }
    if (!options.permissions.is_null() && !options.sandbox_policy.is_null()) {
        return badRequest("permissions cannot be combined with sandbox or sandboxPolicy",
                          "permissions");
    }
    return std::nullopt;
}

}  // namespace

std::variant<TurnOptions, sdk::ErrorInfo> parseTurnOptions(const json& body,
                                                           const TurnDefaults& defaults,
                                                           bool allow_full_access) {
    TurnOptions options{defaults.model,   defaults.effort, defaults.approval_policy,
                        defaults.sandbox, json(),          json()};
    for (auto [key, target] : {std::pair{"model", &options.model},
                               {"effort", &options.effort},
                               {"sandbox", &options.sandbox}}) {
        if (auto error = readString(body, key, *target)) {
            return *error;
        }
    }
    if (!oneOf(options.effort, kEfforts)) {
        return badRequest("effort must be none, minimal, low, medium, high or xhigh", "effort");
    }
    const SandboxName* sandbox = findSandbox(options.sandbox);
    if (sandbox == nullptr) {
        return badRequest("sandbox must be read-only, workspace-write or danger-full-access",
                          "sandbox");
    }
    options.sandbox = sandbox->mode;
    if (options.sandbox == "danger-full-access" && !allow_full_access) {
        return fullAccessRefused("sandbox");
    }
    if (const auto policy = body.find("approvalPolicy");
        policy != body.end() && !policy->is_null()) {
        const bool named =
            policy->is_string() && oneOf(policy->get<std::string>(), kApprovalPolicies);
        if (!named && !policy->is_object()) {
            return badRequest(
                "approvalPolicy must be untrusted, on-failure, on-request, never or "
                "a granular policy object",
                "approvalPolicy");
        }
        options.approval_policy = *policy;
    }
    if (auto error = readSandboxPolicy(body, options, allow_full_access)) {
        return *error;
    }
    if (auto error = readPermissions(body, options, allow_full_access)) {
        return *error;
    }
    return options;
}

json threadParams(const TurnOptions& options, const std::string& cwd) {
    return {{"cwd", cwd},
            {"model", options.model},
            {"approvalPolicy", options.approval_policy},
            {"sandbox", options.sandbox}};
}

json turnParams(const TurnOptions& options, const std::string& thread_id, const std::string& cwd,
                json input) {
    json params{{"threadId", thread_id},
                {"input", std::move(input)},
                {"cwd", cwd},
                {"model", options.model},
                {"effort", options.effort},
                {"approvalPolicy", options.approval_policy}};
    if (!options.sandbox_policy.is_null()) {
        params["sandboxPolicy"] = options.sandbox_policy;
    }
    if (!options.permissions.is_null()) {
        params["permissions"] = options.permissions;
    }
    return params;
}

std::variant<json, sdk::ErrorInfo> turnInput(const json& body, bool required) {
    if (const auto prompt = body.find("prompt"); prompt != body.end() && !prompt->is_null()) {
        if (!prompt->is_string() || prompt->get<std::string>().empty()) {
            return badRequest("prompt must be a non-empty string", "prompt");
        }
        return json::array({{{"type", "text"}, {"text", *prompt}}});
    }
    if (const auto input = body.find("input"); input != body.end() && !input->is_null()) {
        if (!input->is_array() || input->empty()) {
            return badRequest("input must be a non-empty array of input items", "input");
        }
        for (const auto& item : *input) {
            if (!item.is_object() || !item.contains("type") || !item["type"].is_string()) {
                return badRequest("every input item needs a type", "input");
            }
        }
        return *input;
    }
    if (required) {
        return badRequest("prompt is required", "prompt");
    }
    return json();
}

}  // namespace sluice::plugins::route_appserver
