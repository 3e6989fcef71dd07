#include "backend_routes.hpp"

#include <utility>

namespace sluice::plugins::route_backend {

namespace {

using sdk::RouteClass;

struct Operation {
    std::string_view name;
    Handler handler;
    RouteClass route_class;
};

constexpr Operation kOperations[] = {
    {"backend.usage", Handler::Usage, RouteClass::Local},
    {"backend.accounts_check", Handler::AccountsCheck, RouteClass::Local},
    {"backend.files_create", Handler::FilesCreate, RouteClass::FileUpload},
    {"backend.files_uploaded", Handler::FilesUploaded, RouteClass::FileUpload},
    {"backend.transcribe", Handler::Transcribe, RouteClass::AudioTranscription},
    {"wham.tasks_create", Handler::TasksCreate, RouteClass::ProxyHttp},
    {"wham.task_list", Handler::TaskList, RouteClass::ProxyHttp},
    {"wham.task", Handler::Task, RouteClass::ProxyHttp},
    {"wham.task_stream", Handler::TaskStream, RouteClass::ProxyControl},
    {"wham.task_rate_limit", Handler::TaskRateLimit, RouteClass::ProxyHttp},
    {"wham.environment_list", Handler::EnvironmentList, RouteClass::ProxyHttp},
    {"wham.environment", Handler::Environment, RouteClass::ProxyHttp},
    {"wham.settings", Handler::Settings, RouteClass::ProxyControl},
    {"wham.proxy_stream", Handler::PoolStream, RouteClass::ProxyStream},
    {"wham.proxy", Handler::PoolProxy, RouteClass::ProxyControl},
};

struct WhamRoute {
    const char* method;
    std::string suffix;  ///< after the WHAM prefix
    std::string_view operation;
};

constexpr const char* kTaskActions[] = {"recover", "archive", "cancel", "fork", "mark_read"};
constexpr const char* kTurnActions[] = {
    "viewed", "cancel", "discard", "copy_git_apply", "pr", "undo_all_discards_for_siblings"};

// Seed 004's endpoints that a pool can serve per account; literals before parameters.
std::vector<WhamRoute> whamRoutes() {
    std::vector<WhamRoute> routes = {
        {"GET", "/usage", "backend.usage"},
        {"GET", "/accounts/check", "backend.accounts_check"},
        {"GET", "/tasks", "wham.task_list"},
        {"POST", "/tasks", "wham.tasks_create"},
        {"GET", "/tasks/list", "wham.task_list"},
        {"GET", "/tasks/rate_limit", "wham.task_rate_limit"},
        {"GET", "/tasks/{task_id}", "wham.task"},
        {"GET", "/tasks/{task_id}/turns", "wham.task"},
        {"GET", "/tasks/{task_id}/logs", "wham.task"},
        {"GET", "/tasks/{task_id}/turns/{turn_id}", "wham.task"},
        {"GET", "/tasks/{task_id}/turns/{turn_id}/logs", "wham.task"},
        {"GET", "/tasks/{task_id}/turns/{turn_id}/sibling_turns", "wham.task"},
        {"GET", "/tasks/{task_id}/speculative_turns/{turn_id}", "wham.task"},
        {"GET", "/tasks/{task_id}/speculative_turns/{turn_id}/view", "wham.task"},
        {"POST", "/tasks/{task_id}/turns/{turn_id}/stream", "wham.task_stream"},
        {"GET", "/environments", "wham.environment_list"},
        {"GET", "/environments/recent", "wham.environment_list"},
        {"GET", "/environments/with-creators", "wham.environment_list"},
        {"POST", "/environments/test", "wham.proxy_stream"},
        {"GET", "/environments/by-repo/{provider}/{owner}/{repository}", "wham.environment_list"},
        {"GET", "/environments/{environment_id}", "wham.environment"},
        {"DELETE", "/environments/{environment_id}", "wham.environment"},
        {"GET", "/environments/{environment_id}/with-creator-and-machine", "wham.environment"},
        {"POST", "/environments/{environment_id}/reset-cache", "wham.environment"},
        {"GET", "/settings/user", "wham.settings"},
        {"PATCH", "/settings/user", "wham.settings"},
        {"GET", "/settings/code_review", "wham.settings"},
        {"GET", "/settings/configs/user-preferences", "wham.settings"},
        {"GET", "/rate-limit-reset-credits", "wham.proxy"},
        {"POST", "/feedback", "wham.proxy"},
        {"GET", "/agent-identities/jwks", "wham.proxy"},
        {"GET", "/machines", "wham.proxy"},
        {"GET", "/github/installations", "wham.proxy"},
        {"GET", "/github/installations/v2", "wham.proxy"},
        {"GET", "/github/installations/events", "wham.proxy"},
        {"GET", "/github/installations/events/v2", "wham.proxy"},
        {"GET", "/github/repositories/{repo_id}", "wham.proxy"},
        {"GET", "/github/repositories/v2/{installation_id}", "wham.proxy"},
        {"GET", "/github/branches/{repo_id}/search", "wham.proxy"},
        {"GET", "/task_suggestions/github/user_handle", "wham.proxy"},
    };
    for (const char* action : kTaskActions) {
        routes.push_back({"POST", std::string("/tasks/{task_id}/") + action, "wham.task"});
    }
    for (const char* action : kTurnActions) {
        routes.push_back(
            {"POST", std::string("/tasks/{task_id}/turns/{turn_id}/") + action, "wham.task"});
    }
    return routes;
}

const Operation& operationNamed(std::string_view name) {
    for (const Operation& operation : kOperations) {
        if (operation.name == name) {
            return operation;
        }
    }
    return kOperations[std::size(kOperations) - 1];
}

sdk::RouteSpec spec(const char* method, std::string path, std::string_view operation,
                    bool absolute) {
    sdk::RouteSpec route;
    route.method = method;
    route.path = std::move(path);
    route.operation = std::string(operation);
    route.credential = sdk::CredentialKind::PoolKey;
    route.route_class = operationNamed(operation).route_class;
    route.absolute = absolute;
    return route;
}

}  // namespace

std::vector<sdk::RouteSpec> backendRoutes(const BackendConfig& config) {
    std::vector<sdk::RouteSpec> routes;
    routes.push_back(spec("POST", "/files", "backend.files_create", false));
    routes.push_back(spec("POST", "/files/{file_id}/uploaded", "backend.files_uploaded", false));
    sdk::RouteSpec transcribe = spec("POST", "/transcribe", "backend.transcribe", false);
    transcribe.max_body_bytes = config.max_audio_bytes;
    routes.push_back(std::move(transcribe));
    // The Codex CLI's own spelling of the environment list, beside route-codex's mount.
    routes.push_back(spec("GET", "/codex/environments", "wham.environment_list", false));
    routes.push_back(
        spec("GET", "/codex/environments/{environment_id}/repos", "wham.environment", false));
    const std::vector<WhamRoute> wham = whamRoutes();
    // The Codex client uses <base>/wham/... when its base URL has /backend-api, else
    // <base>/api/codex/...; older clients call /wham/... at the root.
    for (const auto& [prefix, absolute] :
         {std::pair{"/wham", false}, {"/wham", true}, {"/api/codex", true}}) {
        for (const WhamRoute& route : wham) {
            routes.push_back(spec(route.method, prefix + route.suffix, route.operation, absolute));
        }
    }
    return routes;
}

Handler handlerOf(std::string_view operation) {
    return operationNamed(operation).handler;
}

std::string upstreamRoute(std::string_view path) {
    constexpr std::string_view kApiCodex = "/api/codex/";
    constexpr std::string_view kWham = "/wham/";
    constexpr std::string_view kCodexEnvironments = "/codex/environments";
    if (path.starts_with(kApiCodex)) {
        return "wham/" + std::string(path.substr(kApiCodex.size()));
    }
    // The earliest marker is the prefix: a later one is inside a client-supplied id.
    const std::size_t wham = path.find(kWham);
    const std::size_t codex = path.find(kCodexEnvironments);
    if (wham != std::string_view::npos && (codex == std::string_view::npos || wham < codex)) {
        return "wham/" + std::string(path.substr(wham + kWham.size()));
    }
    return codex == std::string_view::npos ? std::string() : std::string(path.substr(codex + 1));
}

sdk::UpstreamPath upstreamPathOf(const BackendConfig& config, std::string_view path) {
    sdk::UpstreamPath upstream(config.upstream_path);
    upstream.segments(upstreamRoute(path));
    return upstream;
}

}  // namespace sluice::plugins::route_backend
