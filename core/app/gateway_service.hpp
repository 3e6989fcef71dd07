#pragma once

#include <atomic>
#include <memory>

#include "core/accounting/recent_traffic.hpp"
#include "core/accounting/request_log_writer.hpp"
#include "core/admission/admission_controller.hpp"
#include "core/app/pipeline_generation.hpp"
#include "core/auth/authenticator.hpp"
#include "core/billing/charge_journal.hpp"
#include "core/billing/wallet_charger.hpp"
#include "core/billing/wallet_gauges.hpp"
#include "core/control/control_context.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/dispatch/quota_presenter.hpp"
#include "core/dispatch/upstream_attempt.hpp"
#include "core/dispatch/websocket_relay.hpp"
#include "core/lifecycle/account_upkeep.hpp"
#include "core/lifecycle/sign_in_desk.hpp"
#include "core/lifecycle/token_refresher.hpp"
#include "core/lifecycle/usage_prober.hpp"
#include "core/observability/alerts/alert_monitor.hpp"
#include "core/ops/operations.hpp"
#include "core/routing/account_gauges.hpp"
#include "core/routing/affinity_table.hpp"
#include "core/routing/file_owner_table.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "core/runtime/directory.hpp"
#include "core/runtime/replica_link.hpp"
#include "core/runtime/runtime.hpp"
#include "core/server/gateway_server.hpp"
#include "core/server/request_metrics.hpp"
#include "core/server/route_table.hpp"
#include "core/store/response_vault.hpp"
#include "core/upstream/connection_pool.hpp"

namespace sluice::core::app {

/// The running gateway, assembled from a Runtime: strategies, route families, directory,
/// routing, dispatcher, request log and the HTTP server. Everything is built (and every route
/// collision refused) before the port is bound. Used by `sluice serve` and by tests.
class GatewayService final {
public:
    /// Throws runtime::StartupError naming what is wrong.
    explicit GatewayService(runtime::Runtime& runtime);
    ~GatewayService();
    GatewayService(const GatewayService&) = delete;
    GatewayService& operator=(const GatewayService&) = delete;

    void start();
    std::uint16_t port() const;
    /// Re-reads the pipeline file and applies what can change live: strategies and pool
    /// declarations. In-flight requests finish with the strategy they started with; the
    /// replaced pipeline and its plugins are released when the last of them ends. Other
    /// sections need a restart (reported). Returns the problems; none means applied. One
    /// caller at a time (the signal thread).
    config::ConfigIssues reload();
    /// Stops accepting, drains in-flight requests for the configured time, flushes logs.
    void stop();

    runtime::Directory& directory() noexcept { return *directory_; }
    /// The routing table requests are planned from (its strategies can be replaced live).
    routing::RoutingTable& routing() noexcept { return *routing_; }
    /// Operator control over this gateway: the pipeline in force, and changes refresh the
    /// directory at once.
    control::ControlContext& control() noexcept { return *control_; }
    accounting::RequestLogWriter& requestLog() noexcept { return *request_log_; }
    /// The response store; null when the storage backend keeps no stored answers.
    store::ResponseVault* responseVault() noexcept { return responses_.get(); }
    /// Every route of every mounted family, as requests are matched against them.
    const server::RouteTable& routes() const noexcept { return *routes_; }

private:
    /// The caller's token budget and use, for its share of the pool's quota.
    routing::KeyBudget keyBudget(const sdk::Principal& caller);
    /// Every unexpired file's owner, so requests referencing files never read storage.
    void loadFileOwners();
    /// The link to the other replicas, when `shared_state:` names one; throws StartupError.
    void openSharedState(const config::SharedStateSettings& shared);
    /// Reloads the directory after this process changed storage, and tells the other replicas.
    void directoryChanged();
    /// The response store lent to route families, when the storage backend keeps one.
    void openResponseStore(const config::ResponseStoreSettings& settings);
    /// Opens the charge journal and books what it holds (billing on); throws StartupError.
    void openBilling(const config::BillingSettings& billing);
    /// The alert rules' monitor and, with alerts.webhook_url, its webhook courier.
    void openAlerts(const config::AlertSettings& settings);

    runtime::Runtime& runtime_;
    sdk::Logger& logger_;
    sdk::Gauge& generations_;  ///< sluice_config_generations
    std::atomic<GenerationPtr> in_force_;
    /// Before the route families (routes_), which borrow it, so it outlives them.
    std::unique_ptr<store::ResponseVault> responses_;
    std::unique_ptr<server::RouteTable> routes_;
    std::unique_ptr<runtime::Directory> directory_;
    /// Before the link, which shares them, so they outlive its subscriber thread.
    routing::AffinityTable affinities_;
    routing::AffinityTable response_owners_;
    /// Before the link, which shares its accounts' blocks, so it outlives the link's threads.
    std::unique_ptr<routing::RoutingTable> routing_;
    /// After the directory, which it wakes; stopped before the directory's refresher.
    std::unique_ptr<runtime::ReplicaLink> replicas_;
    routing::FileOwnerTable file_owners_;
    std::unique_ptr<routing::RoutePlanner> planner_;
    std::unique_ptr<upstream::ConnectionPool> connections_;
    dispatch::StreamCutoff cutoff_;
    std::unique_ptr<dispatch::UpstreamEnvelope> envelope_;
    std::unique_ptr<dispatch::UpstreamAttempt> attempt_;
    std::unique_ptr<dispatch::DispatchMetrics> dispatch_metrics_;
    std::unique_ptr<lifecycle::TokenRefresher> refresher_;
    std::unique_ptr<lifecycle::UsageProber> prober_;
    std::unique_ptr<lifecycle::AccountUpkeep> upkeep_;
    std::unique_ptr<dispatch::TokenRenewal> renewal_;
    std::unique_ptr<dispatch::ResponseHistory> response_history_;
    std::unique_ptr<dispatch::Dispatcher> dispatcher_;
    std::unique_ptr<dispatch::KeySockets> key_sockets_;
    std::unique_ptr<dispatch::QuotaPresenter> quota_;
    std::unique_ptr<dispatch::WebSocketRelay> websockets_;
    // Billing outlives the admission and the request log, which both borrow the charger.
    std::unique_ptr<billing::ChargeJournal> charge_journal_;
    std::unique_ptr<billing::WalletCharger> charger_;
    std::unique_ptr<admission::AdmissionController> admission_;
    std::unique_ptr<routing::AccountGauges> account_gauges_;
    std::size_t account_gauges_collector_ = 0;
    std::unique_ptr<billing::WalletGauges> wallet_gauges_;  ///< with billing only
    std::size_t wallet_gauges_collector_ = 0;
    std::unique_ptr<control::ControlContext> control_;
    std::unique_ptr<lifecycle::SignInDesk> sign_ins_;
    // Filled by the request log's thread, read by the operator operations: outlives both.
    accounting::RecentTraffic recent_traffic_;
    /// Reads routing, the planner and recent traffic: declared after them, stopped first.
    std::unique_ptr<observability::alerts::AlertMonitor> alerts_;
    ops::Operations operations_;
    std::unique_ptr<auth::DelegatedCredentialSigner> delegated_signer_;
    std::unique_ptr<auth::CredentialDelegation> delegation_;
    std::unique_ptr<auth::Authenticator> authenticator_;
    std::unique_ptr<accounting::RequestLogWriter> request_log_;
    std::unique_ptr<server::RequestMetrics> request_metrics_;
    std::unique_ptr<server::ServerContext> context_;
    std::unique_ptr<server::GatewayServer> server_;
    bool stopped_ = false;
};

}  // namespace sluice::core::app
