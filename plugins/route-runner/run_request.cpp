#include "run_request.hpp"

#include "sluice/plugins/common/child_environment.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;

namespace {

sdk::Status invalid(std::string message) {
    return {sdk::StatusCode::InvalidArgument, std::move(message)};
}

std::optional<std::string> optionalString(const json& body, const char* key, sdk::Status& error) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        error = invalid(std::string(key) + " must be a string");
        return std::nullopt;
    }
    return it->get<std::string>();
}

bool flag(const json& body, const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_boolean() && it->get<bool>();
}

std::string capitalised(std::string role) {
    if (!role.empty() && role[0] >= 'a' && role[0] <= 'z') {
        role[0] = static_cast<char>(role[0] - 'a' + 'A');
    }
    return role;
}

sdk::Status readEnv(const json& body, RunRequest& out) {
    const auto it = body.find("env");
    if (it == body.end() || it->is_null()) {
        return sdk::Status::success();
    }
    if (!it->is_object()) {
        return invalid("env must be an object of strings");
    }
    for (const auto& [name, value] : it->items()) {
        if (!common::validVariableName(name)) {
            return invalid("env variable '" + name + "' is not a valid name");
        }
        if (const auto refused = common::refusedVariable(name)) {
            return invalid("env variable " + *refused + " and cannot be set per run");
        }
        if (!value.is_string()) {
            return invalid("env variable " + name + " must be a string");
        }
        out.env[name] = value.get<std::string>();
    }
    return sdk::Status::success();
}

sdk::Status readTimeout(const json& body, RunRequest& out) {
    for (const char* key : {"timeout_ms", "max_duration_ms"}) {
        const auto it = body.find(key);
        if (it == body.end() || it->is_null()) {
            continue;
        }
        if (!it->is_number() || it->get<double>() <= 0) {
            return invalid(std::string(key) + " must be a positive number of milliseconds");
        }
        out.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(it->get<double>()));
        return sdk::Status::success();
    }
    return sdk::Status::success();
}

sdk::Status readMessages(const json& body, RunRequest& out) {
    const auto it = body.find("messages");
    if (it == body.end() || it->is_null()) {
        return sdk::Status::success();
    }
    if (!it->is_array()) {
        return invalid("messages must be an array of {role, content}");
    }
    for (const json& message : *it) {
        if (!message.is_object() || !message.value("role", json()).is_string()) {
            return invalid("every message needs a role and a content");
        }
    }
    out.messages = *it;
    return sdk::Status::success();
}

}  // namespace

const char* runSourceName(RunSource source) noexcept {
    switch (source) {
        case RunSource::Api:
            return "api";
        case RunSource::Trigger:
            return "trigger";
        case RunSource::Watcher:
            return "watcher";
    }
    return "api";
}

std::string assemblePrompt(const std::string& system_prompt, const json& messages) {
    std::string prompt = system_prompt.empty() ? "" : "System:\n" + system_prompt + "\n\n";
    std::vector<std::pair<std::string, std::string>> turns;
    for (const json& message : messages) {
        const json content = message.value("content", json());
        if (content.is_string()) {
            turns.emplace_back(message.value("role", "user"), content.get<std::string>());
        }
    }
    if (turns.size() == 1 && turns.front().first == "user") {
        return prompt + turns.front().second;
    }
    for (const auto& [role, text] : turns) {
        prompt += capitalised(role) + ":\n" + text + "\n\n";
    }
    return prompt + "Assistant:";
}

sdk::Result<RunRequest> parseRunRequest(const json& body, BodyKind kind,
                                        const std::string& fallback_prompt) {
    if (!body.is_object()) {
        return invalid("the body must be a JSON object");
    }
    RunRequest out;
    sdk::Status error;
    const auto prompt = optionalString(body, "prompt", error);
    const auto system = optionalString(body, "system_prompt", error);
    const auto model = optionalString(body, "model", error);
    auto workspace = optionalString(body, "workspace", error);
    if (!workspace) {
        workspace = optionalString(body, "cwd", error);
    }
    const auto session = optionalString(body, "session_id", error);
    const auto objective = optionalString(body, "objective", error);
    const auto nudge_prompt = optionalString(body, "nudge_prompt", error);
    if (!error.ok()) {
        return error;
    }
    for (auto status : {readEnv(body, out), readTimeout(body, out), readMessages(body, out)}) {
        if (!status.ok()) {
            return status;
        }
    }
    if (body.contains("metadata") && !body["metadata"].is_null()) {
        if (!body["metadata"].is_object()) {
            return invalid("metadata must be an object");
        }
        out.metadata = body["metadata"];
    }
    json messages = out.messages;
    if (messages.empty() && prompt) {
        messages = json::array({{{"role", "user"}, {"content", *prompt}}});
    }
    if (messages.empty() && kind == BodyKind::Nudge && !fallback_prompt.empty()) {
        messages = json::array({{{"role", "user"}, {"content", fallback_prompt}}});
    }
    if (messages.empty()) {
        return invalid(kind == BodyKind::Nudge ? "No nudge prompt configured"
                                               : "messages or prompt is required");
    }
    out.messages = messages;
    out.prompt = assemblePrompt(system.value_or(""), messages);
    out.model = model.value_or("");
    out.workspace = workspace.value_or("");
    out.session_id = kind == BodyKind::Completion ? session.value_or("") : "";
    out.objective = objective.value_or("");
    out.nudge_prompt = nudge_prompt.value_or("");
    out.secure = flag(body, "secure") || flag(body, "secure_session");
    out.include_events = flag(body, "include_events") || flag(body, "json_mode");
    return out;
}

}  // namespace sluice::plugins::route_runner
