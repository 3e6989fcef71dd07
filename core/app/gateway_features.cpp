#include "core/app/gateway_service.hpp"
#include "core/observability/alerts/gateway_reading.hpp"

// The parts of the gateway a pipeline section turns on: shared state between replicas, the
// response store, billing and alerts. The rest of the wiring is in gateway_service.cpp.
namespace sluice::core::app {

void GatewayService::openSharedState(const config::SharedStateSettings& shared) {
    if (shared.type.empty()) {
        return;
    }
    runtime::Host& host = runtime_.host();
    std::shared_ptr<sdk::SharedState> state;
    try {
        state = runtime_.plugins().createSharedState(shared.type, *shared.config, host);
    } catch (const sdk::ConfigError& e) {
        throw runtime::StartupError({{e.path(), e.message(), 0}});
    } catch (const std::exception& e) {
        throw runtime::StartupError({{"shared_state", e.what(), 0}});
    }
    replicas_ = std::make_unique<runtime::ReplicaLink>(std::move(state), *directory_,
                                                       host.metrics(), host.logger("replicas"));
    replicas_->shareBindings(affinities_, response_owners_, host.clock());
    replicas_->shareBlocks(*routing_, host.clock());
}

void GatewayService::openResponseStore(const config::ResponseStoreSettings& settings) {
    auto* stores = dynamic_cast<sdk::StoresResponses*>(&runtime_.storage());
    if (stores == nullptr) {
        return;  // a family that needs the store says so, naming its key
    }
    runtime::Host& host = runtime_.host();
    responses_ = std::make_unique<store::ResponseVault>(
        stores->responses(), runtime_.secrets(), host.clock(), host.metrics(),
        host.logger("response-store"),
        store::ResponseVault::Options{settings.purge_interval, settings.queue_limit,
                                      settings.read_wait});
    host.setResponseStore(responses_.get());
}

void GatewayService::openBilling(const config::BillingSettings& billing) {
    if (billing.journal.empty()) {
        return;
    }
    auto* stores = dynamic_cast<sdk::StoresWallets*>(&runtime_.storage());
    if (stores == nullptr) {
        throw runtime::StartupError(
            {{"billing.journal", "the storage backend keeps no wallets, so nothing can be billed",
              0}});
    }
    try {
        charge_journal_ = std::make_unique<billing::ChargeJournal>(billing.journal);
    } catch (const std::system_error& e) {
        throw runtime::StartupError({{"billing.journal", e.what(), 0}});
    }
    runtime::Host& host = runtime_.host();
    charger_ = std::make_unique<billing::WalletCharger>(
        stores->wallets(), *charge_journal_, host.clock(), host.metrics(), host.logger("billing"),
        billing::WalletCharger::Options{
            billing.apply_interval, billing.reload_interval,
            [this]() -> sdk::CustomerBearerRepository* {
                auto* bearers = dynamic_cast<sdk::StoresCustomerBearers*>(&runtime_.storage());
                return bearers != nullptr ? &bearers->customerBearers() : nullptr;
            }()});
    if (const sdk::Status recovered = charger_->recover(); !recovered.ok()) {
        throw runtime::StartupError(
            {{"billing", "cannot book the journaled charges: " + recovered.message(), 0}});
    }
    wallet_gauges_ = std::make_unique<billing::WalletGauges>(
        host.metricsRegistry(), charger_->book(), billing.balance_gauge_wallets);
    wallet_gauges_collector_ =
        host.metricsRegistry().addCollector([this] { wallet_gauges_->refresh(); });
}

void GatewayService::openAlerts(const config::AlertSettings& settings) {
    runtime::Host& host = runtime_.host();
    std::unique_ptr<observability::alerts::WebhookCourier> courier;
    if (!settings.webhook_url.empty()) {
        courier = std::make_unique<observability::alerts::WebhookCourier>(
            host.httpClient(),
            observability::alerts::WebhookSettings{settings.webhook_url, settings.webhook_secret,
                                                   settings.webhook_timeout, settings.webhook_retry,
                                                   settings.webhook_attempts},
            host.logger("alerts"), host.metrics());
    }
    const observability::alerts::GatewaySources sources{
        *routing_,          *planner_,       recent_traffic_,
        runtime_.storage(), replicas_.get(), settings.error_rate_window};
    alerts_ = std::make_unique<observability::alerts::AlertMonitor>(
        [sources](sdk::TimePoint now) { return observability::alerts::readGateway(sources, now); },
        observability::alerts::Thresholds{static_cast<double>(settings.capacity_below_percent),
                                          static_cast<double>(settings.error_rate_above_percent),
                                          settings.error_rate_min_requests,
                                          settings.error_rate_window},
        settings.interval, std::move(courier), host.clock(), host.logger("alerts"), host.metrics());
}

}  // namespace sluice::core::app
