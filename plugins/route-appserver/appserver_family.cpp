#include "appserver_family.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

AppServerFamily::AppServerFamily(AppServerConfig config, sdk::HostServices& host,
                                 sdk::ProjectRepository& repository, CredentialMinter minter,
                                 GatewayUrlSource gateway_url)
    : config_(std::move(config)),
      logger_(host.logger("appserver")),
      events_(config_.event_buffer),
      store_(repository),
      hub_(store_, events_, requests_, host),
      servers_(config_, std::move(minter), std::move(gateway_url), hub_),
      service_(config_, store_, servers_, hub_, requests_, host),
      context_{config_, *this, service_, servers_, events_, requests_, stopping_} {
    hub_.failOrphanedTurns();
    for (auto routes : {projectRoutes(config_), adminRoutes(), legacyRoutes()}) {
        for (auto& entry : routes) {
            handlers_[entry.spec.operation] = entry.handler;
            entries_.push_back(std::move(entry));
        }
    }
}

AppServerFamily::~AppServerFamily() {
    hub_.shutdown();
    stopping_ = true;
    events_.wakeAll();
}

std::vector<sdk::RouteSpec> AppServerFamily::routes() const {
    std::vector<sdk::RouteSpec> specs;
    specs.reserve(entries_.size());
    for (const auto& entry : entries_) {
        specs.push_back(entry.spec);
    }
    return specs;
}

void AppServerFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        const auto handler = handlers_.find(exchange.operation());
        if (handler == handlers_.end()) {
            sendError(exchange, notFound("no such route"));
            return;
        }
        handler->second(context_, exchange);
    } catch (const std::exception& error) {
        logger_.error("handler_failed",
                      {{"operation", exchange.operation()}, {"error", error.what()}});
        if (!exchange.response().started()) {
            sendError(exchange, {500,
                                 "server_error",
                                 "internal_error",
                                 "the request failed inside the gateway",
                                 {},
                                 0,
                                 {}});
        } else {
            exchange.response().abort();
        }
    }
}

void AppServerFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

}  // namespace sluice::plugins::route_appserver
