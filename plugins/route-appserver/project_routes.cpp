// /api/v1: the browser-agent surface of seed 002, every route scoped to the caller's key.

#include <charconv>

#include "family_context.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

std::string query(const sdk::Exchange& exchange, std::string_view name) {
    return common::queryParam(exchange.query(), name).value_or("");
}

bool queryFlag(const sdk::Exchange& exchange, std::string_view name) {
    const std::string value = query(exchange, name);
    return value == "true" || value == "1" || value == "yes";
}

void agentStatus(FamilyContext& context, sdk::Exchange& exchange) {
    AppServer* server = context.servers.find(owner(exchange));
    const json status = server ? server->status() : json{{"phase", phaseName(Phase::Stopped)}};
    const auto& defaults = context.config.defaults;
    answer(context, exchange,
           json{{"running", status["phase"] == phaseName(Phase::Ready)},
                {"appServer", status},
                {"defaults",
                 {{"model", defaults.model},
                  {"effort", defaults.effort},
                  {"approvalPolicy", defaults.approval_policy},
                  {"sandbox", defaults.sandbox}}},
                {"allowFullAccess", context.config.allow_full_access}});
}

void permissions(FamilyContext& context, sdk::Exchange& exchange) {
    Reply profiles =
        context.service.call(owner(exchange), "permissionProfile/list", json::object());
    if (auto* body = std::get_if<json>(&profiles)) {
        *body = json{{"profiles", *body},
                     {"default", {{"sandbox", context.config.defaults.sandbox}}},
                     {"fullAccess",
                      {{"permissions", ":danger-full-access"},
                       {"allowed", context.config.allow_full_access}}}};
    }
    answer(context, exchange, profiles);
}

void skills(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange, context.service.call(owner(exchange), "skills/list", json::object()));
}

void listProjects(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange, context.service.list(owner(exchange)));
}

void createProject(FamilyContext& context, sdk::Exchange& exchange) {
    if (auto body = readObject(context, exchange)) {
        answer(context, exchange, context.service.create(owner(exchange), *body));
    }
}

void getProject(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange, context.service.get(owner(exchange), pathParam(exchange, "id")));
}

void projectState(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange,
           context.service.state(owner(exchange), pathParam(exchange, "id"),
                                 queryFlag(exchange, "includeTurns")));
}

void projectThread(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange, context.service.thread(owner(exchange), pathParam(exchange, "id")));
}

void openProject(FamilyContext& context, sdk::Exchange& exchange) {
    if (auto body = readObject(context, exchange);
        body && !refusedForEmptyWallet(context, exchange, *body)) {
        answer(context, exchange,
               context.service.open(owner(exchange), pathParam(exchange, "id"), *body));
    }
}

void startTurn(FamilyContext& context, sdk::Exchange& exchange) {
    if (auto body = readObject(context, exchange);
        body && !refusedForEmptyWallet(context, exchange, *body)) {
        answer(context, exchange,
               context.service.startTurn(owner(exchange), pathParam(exchange, "id"), *body));
    }
}

void interruptTurn(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange,
           context.service.interrupt(owner(exchange), pathParam(exchange, "id"),
                                     pathParam(exchange, "turn_id")));
}

void listApprovals(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange,
           context.service.approvals(owner(exchange), pathParam(exchange, "id")));
}

void resolveApproval(FamilyContext& context, sdk::Exchange& exchange) {
    if (auto body = readObject(context, exchange)) {
        answer(context, exchange,
               context.service.resolve(owner(exchange), pathParam(exchange, "id"),
                                       pathParam(exchange, "request_id"), *body));
    }
}

void projectEvents(FamilyContext& context, sdk::Exchange& exchange) {
    auto project = context.service.owned(owner(exchange), pathParam(exchange, "id"));
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        context.family.sendError(exchange, *error);
        return;
    }
    const std::string asked = query(exchange, "threadId");
    const std::string project_id = std::get<sdk::ProjectRecord>(project).id;
    const std::string key = owner(exchange);
    // The project's thread may change (open starts one), so it is read again before each
    // batch; `keep` runs under the event log's lock, where the store must not be asked.
    auto thread = std::make_shared<std::string>(asked);
    auto refresh = [&context, key, project_id, asked, thread] {
        if (asked.empty()) {
            auto current = context.service.owned(key, project_id);
            if (auto* record = std::get_if<sdk::ProjectRecord>(&current)) {
                *thread = record->thread_id;
            }
        }
    };
    auto keep = [key, thread](const LoggedEvent& event) {
        return event.owner == key && !event.thread_id.empty() && event.thread_id == *thread;
    };
    streamEvents(context, exchange, streamStart(context, exchange), keep, refresh);
}

std::variant<WorkspaceFiles, sdk::ErrorInfo> workspace(FamilyContext& context,
                                                       sdk::Exchange& exchange) {
    return context.service.files(owner(exchange), pathParam(exchange, "id"));
}

std::size_t querySize(const sdk::Exchange& exchange, std::string_view name, std::size_t fallback) {
    const std::string value = query(exchange, name);
    std::size_t parsed = fallback;
    if (!value.empty() &&
        std::from_chars(value.data(), value.data() + value.size(), parsed).ec != std::errc()) {
        return fallback;
    }
    return parsed;
}

void fileTree(FamilyContext& context, sdk::Exchange& exchange) {
    auto files = workspace(context, exchange);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&files)) {
        context.family.sendError(exchange, *error);
        return;
    }
    const auto& limits = context.config;
    answer(context, exchange,
           std::get<WorkspaceFiles>(files).tree(
               query(exchange, "path"),
               static_cast<int>(querySize(exchange, "depth", limits.max_tree_depth)),
               querySize(exchange, "limit", limits.max_tree_entries), query(exchange, "cursor")));
}

void readFile(FamilyContext& context, sdk::Exchange& exchange) {
    auto files = workspace(context, exchange);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&files)) {
        context.family.sendError(exchange, *error);
        return;
    }
    const auto path = common::queryParam(exchange.query(), "path");
    if (!path) {
        context.family.sendError(exchange, badRequest("path is required", "path"));
        return;
    }
    answer(context, exchange, std::get<WorkspaceFiles>(files).read(*path));
}

void writeFile(FamilyContext& context, sdk::Exchange& exchange) {
    auto files = workspace(context, exchange);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&files)) {
        context.family.sendError(exchange, *error);
        return;
    }
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    const auto path = body->find("path");
    const auto content = body->find("content");
    if (path == body->end() || !path->is_string()) {
        context.family.sendError(exchange, badRequest("path must be a string", "path"));
        return;
    }
    if (content == body->end() || !content->is_string()) {
        context.family.sendError(exchange,
                                 badRequest("content must be a string (UTF-8 text)", "content"));
        return;
    }
    answer(context, exchange,
           std::get<WorkspaceFiles>(files).write(path->get<std::string>(),
                                                 content->get_ref<const std::string&>()));
}

sdk::RouteSpec spec(const char* method, const char* path, const char* operation,
                    sdk::RouteClass route_class = sdk::RouteClass::Local,
                    std::uint64_t max_body = 0) {
    return {method, path, operation, sdk::CredentialKind::PoolKey, route_class, false, max_body};
}

}  // namespace

std::vector<RouteEntry> projectRoutes(const AppServerConfig& config) {
    // JSON escaping can grow text up to six times; the content cap is enforced after parsing.
    const std::uint64_t max_write_body = config.max_file_bytes * 6 + 64 * 1024;
    const auto agent = sdk::RouteClass::ProxyControl;
    return {
        {spec("GET", "/v1/agent/status", "appserver.agent_status"), agentStatus},
        {spec("GET", "/v1/permissions", "appserver.permissions", agent), permissions},
        {spec("GET", "/v1/skills", "appserver.skills", agent), skills},
        {spec("GET", "/v1/projects", "appserver.projects.list"), listProjects},
        {spec("POST", "/v1/projects", "appserver.projects.create"), createProject},
        {spec("GET", "/v1/projects/{id}", "appserver.projects.get", agent), getProject},
        {spec("GET", "/v1/projects/{id}/state", "appserver.projects.state", agent), projectState},
        {spec("GET", "/v1/projects/{id}/thread", "appserver.projects.thread", agent),
         projectThread},
        {spec("POST", "/v1/projects/{id}/open", "appserver.projects.open", agent), openProject},
        {spec("POST", "/v1/projects/{id}/turns", "appserver.turns.start", agent), startTurn},
        {spec("POST", "/v1/projects/{id}/turns/{turn_id}/interrupt", "appserver.turns.interrupt",
              agent),
         interruptTurn},
        {spec("GET", "/v1/projects/{id}/approvals", "appserver.approvals.list"), listApprovals},
        {spec("POST", "/v1/projects/{id}/approvals/{request_id}/resolve",
              "appserver.approvals.resolve"),
         resolveApproval},
        {spec("GET", "/v1/projects/{id}/events", "appserver.events", sdk::RouteClass::ProxyStream),
         projectEvents},
        {spec("GET", "/v1/projects/{id}/files/tree", "appserver.files.tree"), fileTree},
        {spec("GET", "/v1/projects/{id}/files/content", "appserver.files.read"), readFile},
        {spec("PUT", "/v1/projects/{id}/files/content", "appserver.files.write",
              sdk::RouteClass::Local, max_write_body),
         writeFile},
    };
}

}  // namespace sluice::plugins::route_appserver
