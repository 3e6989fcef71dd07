#include "backend_family.hpp"

#include <nlohmann/json.hpp>

#include "backend_routes.hpp"
#include "pool_views.hpp"
#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

sdk::ErrorInfo usageUnavailable() {
    return {503,
            "server_error",
            "usage_unavailable",
            "the pool's usage is unavailable right now",
            "",
            0,
            ""};
}

}  // namespace

BackendFamily::BackendFamily(BackendConfig config, sdk::HostServices& host)
    : context_{config,
               host,
               host.logger("route-backend"),
               OwnerMap(config.affinity_capacity),
               OwnerMap(config.affinity_capacity),
               OwnerMap(config.affinity_capacity)},
      files_(context_, *this),
      wham_(context_, *this),
      lists_(context_, *this) {}

std::vector<sdk::RouteSpec> BackendFamily::routes() const {
    return backendRoutes(context_.config);
}

void BackendFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

void BackendFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        serve(exchange);
    } catch (const std::exception& e) {
        context_.logger.error("handler_failed",
                              {{"operation", exchange.operation()}, {"reason", e.what()}});
        if (!exchange.response().started()) {
            sendError(exchange, {500, "server_error", "internal_error",
                                 "the gateway failed to handle the request", "", 0, ""});
        }
    }
}

void BackendFamily::serve(sdk::Exchange& exchange) {
    switch (handlerOf(exchange.operation())) {
        case Handler::Usage:
            return usage(exchange);
        case Handler::AccountsCheck:
            return accountsCheck(exchange);
        case Handler::FilesCreate:
            return files_.create(exchange);
        case Handler::FilesUploaded:
            return files_.finalize(exchange);
        case Handler::Transcribe:
            return files_.transcribe(exchange);
        case Handler::TasksCreate:
            return wham_.createTask(exchange);
        case Handler::TaskList:
            return lists_.tasks(exchange);
        case Handler::Task:
            return wham_.task(exchange);
        case Handler::TaskStream:
            return wham_.taskStream(exchange);
        case Handler::TaskRateLimit:
            return lists_.taskRateLimit(exchange);
        case Handler::EnvironmentList:
            return lists_.environments(exchange);
        case Handler::Environment:
            return wham_.environment(exchange);
        case Handler::Settings:
            return wham_.settings(exchange);
        case Handler::PoolProxy:
            return wham_.proxy(exchange);
        case Handler::PoolStream:
            return wham_.proxyStream(exchange);
    }
}

// Answered from the quota evidence the gateway already holds (probes, response headers), so
// reading usage never waits on an upstream.
void BackendFamily::usage(sdk::Exchange& exchange) {
    const auto pool_usage = exchange.gateway().operate("pool.usage", "{}");
    if (!pool_usage.ok()) {
        sendError(exchange, usageUnavailable());
        return;
    }
    const json payload = usagePayload(common::parseJson(pool_usage.value()));
    exchange.response().send(200, {{"Content-Type", "application/json"}}, payload.dump());
}

void BackendFamily::accountsCheck(sdk::Exchange& exchange) {
    const auto pool_usage = exchange.gateway().operate("pool.usage", "{}");
    if (!pool_usage.ok()) {
        sendError(exchange, usageUnavailable());
        return;
    }
    const json usage = usagePayload(common::parseJson(pool_usage.value()));
    const auto sent = exchange.header("chatgpt-account-id");
    const std::string id = sent && !sent->empty() ? std::string(*sent) : exchange.principal().pool;
    const json payload = accountsCheckPayload(id, usage["plan_type"].get<std::string>());
    exchange.response().send(200, {{"Content-Type", "application/json"}}, payload.dump());
}

}  // namespace sluice::plugins::route_backend
