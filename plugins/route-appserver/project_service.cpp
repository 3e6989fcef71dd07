#include "project_service.hpp"

#include <cstdio>
#include <filesystem>

#include "launch_settings.hpp"
#include "token_ledger.hpp"

namespace sluice::plugins::route_appserver {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr std::size_t kMaxNameLength = 200;

std::optional<sdk::ErrorInfo> optionalString(const json& body, const char* key,
                                             std::string& target) {
    const auto found = body.find(key);
    if (found == body.end() || found->is_null()) {
        return std::nullopt;
    }
    if (!found->is_string() || found->get<std::string>().size() > kMaxNameLength) {
        return badRequest(std::string(key) + " must be a string of at most 200 characters", key);
    }
    target = found->get<std::string>();
    return std::nullopt;
}

bool plainTemplateName(const std::string& name) {
    return !name.empty() && name.front() != '.' && name.find_first_of("/\\") == std::string::npos;
}

}  // namespace

sdk::ErrorInfo callError(const CallOutcome& outcome) {
    switch (outcome.failure) {
        case CallFailure::Remote:
            return {502,
                    "server_error",
                    "appserver_error",
                    "the app-server refused: " + outcome.message,
                    {},
                    0,
                    {}};
        case CallFailure::Timeout:
            return {504, "server_error", "appserver_timeout", outcome.message, {}, 0, {}};
        case CallFailure::Exited:
            return unavailable(outcome.message, "appserver_restarted");
        case CallFailure::Unavailable:
        case CallFailure::None:
            break;
    }
    return unavailable(outcome.message);
}

ProjectService::ProjectService(const AppServerConfig& config, ProjectStore& projects,
                               AppServerPool& servers, ProjectHub& hub, ServerRequests& requests,
                               sdk::HostServices& host)
    : config_(config),
      projects_(projects),
      servers_(servers),
      hub_(hub),
      requests_(requests),
      host_(host),
      logger_(host.logger("appserver")) {}

std::string ProjectService::newProjectId() {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(host_.random().next()));
    return std::string("prj_") + hex;
}

json ProjectService::projectJson(const sdk::ProjectRecord& project) const {
    return {{"id", project.id},
            {"name", project.name},
            {"ownerId", project.client_owner.empty() ? json() : json(project.client_owner)},
            {"template", project.template_name.empty() ? json() : json(project.template_name)},
            {"cwd", project.workspace},
            {"threadId", project.thread_id.empty() ? json() : json(project.thread_id)},
            {"turns", project.turns},
            {"usage", tokensJson(project.accounted_total)},
            {"createdAt", unixSeconds(project.created_at)},
            {"updatedAt", unixSeconds(project.updated_at)}};
}

std::variant<sdk::ProjectRecord, sdk::ErrorInfo> ProjectService::owned(
    const std::string& owner, const std::string& id) const {
    auto project = projects_.get(id);
    if (!project || project->owner_key != owner) {
        return notFound("no project '" + id + "'", "project_not_found");
    }
    return *project;
}

std::optional<sdk::ProjectRecord> ProjectService::ownedAt(const std::string& owner,
                                                          const std::string& cwd) const {
    const fs::path asked = fs::path(cwd).lexically_normal();
    for (auto& project : projects_.list(owner)) {
        if (fs::path(project.workspace).lexically_normal() == asked) {
            return std::move(project);
        }
    }
    return std::nullopt;
}

Reply ProjectService::create(const std::string& owner, const json& body) {
    sdk::ProjectRecord project;
    const auto name = body.find("name");
    if (name == body.end() || !name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > kMaxNameLength) {
        return badRequest("name is required: a string of 1 to 200 characters", "name");
    }
    project.name = name->get<std::string>();
    if (auto error = optionalString(body, "ownerId", project.client_owner)) {
        return *error;
    }
    if (auto error = optionalString(body, "template", project.template_name)) {
        return *error;
    }
    fs::path template_dir;
    if (!project.template_name.empty()) {
        std::error_code error;
        template_dir = fs::path(config_.templates_root) / project.template_name;
        if (config_.templates_root.empty() || !plainTemplateName(project.template_name) ||
            !fs::is_directory(template_dir, error)) {
            return badRequest("unknown template '" + project.template_name + "'", "template",
                              "unknown_template");
        }
    }
    project.id = newProjectId();
    project.owner_key = owner;
    project.workspace =
        (fs::path(config_.projects_root) / ownerDirectoryName(owner) / project.id).string();
    project.created_at = project.updated_at = host_.clock().now();
    std::error_code error;
    fs::create_directories(project.workspace, error);
    if (!error && !template_dir.empty()) {
        fs::copy(template_dir, project.workspace, fs::copy_options::recursive, error);
    }
    if (error) {
        logger_.error("workspace_create_failed",
                      {{"project", project.id}, {"error", error.message()}});
        return unavailable("cannot create the project's workspace", "workspace_failed");
    }
    if (sdk::Status created = projects_.create(project); !created.ok()) {
        logger_.error("project_write_failed",
                      {{"project", project.id}, {"error", created.message()}});
        return unavailable("cannot store the project", "storage_failed");
    }
    logger_.info("project_created", {{"project", project.id}, {"owner", owner}});
    return json{{"project", projectJson(project)}};
}

Reply ProjectService::list(const std::string& owner) const {
    json data = json::array();
    for (const auto& project : projects_.list(owner)) {
        data.push_back(projectJson(project));
    }
    return json{{"data", std::move(data)}};
}

Reply ProjectService::call(const std::string& owner, std::string_view method, json params) {
    auto server = servers_.forOwner(owner);
    if (!server.ok()) {
        return serverRefused(server.status());
    }
    CallOutcome outcome = server.value()->call(method, std::move(params));
    if (!outcome.ok()) {
        return callError(outcome);
    }
    return std::move(outcome.result);
}

Reply ProjectService::get(const std::string& owner, const std::string& id) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    json body{{"project", projectJson(record)}, {"thread", json()}};
    if (!record.thread_id.empty()) {
        Reply thread = call(owner, "thread/read", {{"threadId", record.thread_id}});
        if (const auto* read = std::get_if<json>(&thread)) {
            body["thread"] = read->value("thread", json());
        }
    }
    return body;
}

Reply ProjectService::thread(const std::string& owner, const std::string& id) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    if (record.thread_id.empty()) {
        return notFound("the project has no thread yet: open it first", "no_thread");
    }
    Reply read =
        call(owner, "thread/read", {{"threadId", record.thread_id}, {"includeTurns", true}});
    if (auto* body = std::get_if<json>(&read)) {
        (*body)["threadId"] = record.thread_id;
    }
    return read;
}

Reply ProjectService::state(const std::string& owner, const std::string& id, bool include_turns) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    json body{{"project", projectJson(record)},
              {"threadId", record.thread_id.empty() ? json() : json(record.thread_id)},
              {"thread", json()},
              {"activeTurnId", json()},
              {"approvals", json::array()}};
    if (!record.thread_id.empty()) {
        Reply read = call(owner, "thread/read",
                          {{"threadId", record.thread_id}, {"includeTurns", include_turns}});
        if (auto* error = std::get_if<sdk::ErrorInfo>(&read)) {
            return *error;
        }
        body["thread"] = std::get<json>(read).value("thread", json());
        if (auto running = hub_.runningTurn(owner, record.thread_id)) {
            body["activeTurnId"] = *running;
        }
        for (const auto& request : requests_.list(owner, record.thread_id)) {
            body["approvals"].push_back(request.toJson());
        }
    }
    return body;
}

std::variant<WorkspaceFiles, sdk::ErrorInfo> ProjectService::files(const std::string& owner,
                                                                   const std::string& id) const {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    return WorkspaceFiles(
        std::get<sdk::ProjectRecord>(project).workspace,
        {config_.max_file_bytes, config_.max_tree_entries, config_.max_tree_depth});
}

}  // namespace sluice::plugins::route_appserver
