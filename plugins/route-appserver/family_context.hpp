#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>

#include "app_server_pool.hpp"
#include "appserver_config.hpp"
#include "event_log.hpp"
#include "project_hub.hpp"
#include "project_service.hpp"
#include "reply.hpp"
#include "server_requests.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_appserver {

/// What the route handlers share; owned by the family, alive as long as it is.
struct FamilyContext {
    const AppServerConfig& config;
    sdk::RouteFamily& family;
    ProjectService& service;
    AppServerPool& servers;
    EventLog& events;
    ServerRequests& requests;
    const std::atomic<bool>& stopping;  ///< set when the family goes away: streams end
};

using Handler = void (*)(FamilyContext& context, sdk::Exchange& exchange);

/// One route and the function serving it.
struct RouteEntry {
    sdk::RouteSpec spec;
    Handler handler;
};

std::vector<RouteEntry> projectRoutes(const AppServerConfig& config);  ///< /api/v1
std::vector<RouteEntry> adminRoutes();                                 ///< admin raw surface
std::vector<RouteEntry> legacyRoutes();                                ///< legacy /api/*

/// Answers `reply`: 200 with its JSON, or the error in the family's dialect.
void answer(FamilyContext& context, sdk::Exchange& exchange, const Reply& reply);
/// The body as a JSON object; an empty body is {}. nullopt after answering 400.
std::optional<nlohmann::json> readObject(FamilyContext& context, sdk::Exchange& exchange);
/// True after answering 402 `insufficient_quota` when `body` starts a turn (a prompt or input)
/// and the caller's wallet is empty: refused up front, not as Codex's failure of the turn.
bool refusedForEmptyWallet(FamilyContext& context, sdk::Exchange& exchange,
                           const nlohmann::json& body);
/// Who owns what this request creates or reads: the calling key's principal.
const std::string& owner(const sdk::Exchange& exchange);
/// A path parameter of the matched route (always present for routes that declare it).
std::string pathParam(const sdk::Exchange& exchange, std::string_view name);

/// Streams the events `keep` accepts as SSE from `after` on, with keepalives, until the client
/// leaves or the family stops. `keep` runs under the event log's lock: it must not block;
/// `prepare` (when set) runs before each batch, outside it.
void streamEvents(FamilyContext& context, sdk::Exchange& exchange, std::uint64_t after,
                  const std::function<bool(const LoggedEvent&)>& keep,
                  const std::function<void()>& prepare = {});
/// Where a stream starts: after Last-Event-ID (header, or `lastEventId` query) when given, else
/// after the newest event.
std::uint64_t streamStart(FamilyContext& context, const sdk::Exchange& exchange);

}  // namespace sluice::plugins::route_appserver
