#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backend_config.hpp"
#include "sluice/sdk/route_family.hpp"
#include "sluice/sdk/upstream_path.hpp"

namespace sluice::plugins::route_backend {

/// What serves a route; the RouteSpec's `operation` names it.
enum class Handler {
    Usage,            ///< the pool's Codex usage, answered by the gateway
    AccountsCheck,    ///< workspace routing discovery, answered by the gateway
    FilesCreate,      ///< POST /files on an account the pool picks; the file is recorded there
    FilesUploaded,    ///< finalize on the file's account
    Transcribe,       ///< multipart passthrough
    TasksCreate,      ///< POST /wham/tasks; the new task is recorded on its account
    TaskList,         ///< tasks/list and the tasks feed, merged over the pool's accounts
    Task,             ///< anything under tasks/{task_id}: the task's account
    TaskStream,       ///< a turn's event stream, on the task's account
    TaskRateLimit,    ///< the pool's task quota: every eligible account's, one representative
    EnvironmentList,  ///< environment lists, merged over the pool's accounts
    Environment,      ///< anything under environments/{environment_id}: its account
    Settings,         ///< the pool's settings documents, on the account that holds them
    PoolProxy,        ///< per-account reads and actions: one account of the pool
    PoolStream,       ///< per-account event streams (environment tests): one account of the pool
};

/// Every route of the family: files, transcribe and the Codex CLI's environment routes
/// (<mount>/codex/environments...) under the mount, and each WHAM route in the three spellings
/// clients use (<mount>/wham/..., /wham/..., /api/codex/...). Literal routes come before
/// parameterised ones of the same shape, as the host matches in order.
std::vector<sdk::RouteSpec> backendRoutes(const BackendConfig& config);

/// The handler of an operation name from backendRoutes().
Handler handlerOf(std::string_view operation);

/// The upstream path below `upstream_path` of a request path: "wham/tasks/list" for
/// "/backend-api/wham/tasks/list", "/wham/tasks/list" or "/api/codex/tasks/list", and
/// "codex/environments" for "/backend-api/codex/environments"; empty for any other path.
std::string upstreamRoute(std::string_view path);

/// The upstream path of a request path (`<upstream_path>/<upstreamRoute(path)>`), each segment
/// of the decoded route encoded again so that no client byte can leave its segment.
sdk::UpstreamPath upstreamPathOf(const BackendConfig& config, std::string_view path);

}  // namespace sluice::plugins::route_backend
