#include "core/app/gateway_service.hpp"

#include "core/config/pipeline_loader.hpp"
#include "core/config/yaml_writer.hpp"
#include "core/ops/admin_operations.hpp"
#include "core/ops/customer_operations.hpp"
#include "core/ops/payment_operations.hpp"
#include "core/ops/pool_operations.hpp"

namespace sluice::core::app {

namespace {

// How often changes made by other processes (the CLI, replicas while shared state is down)
// reach the running gateway.
constexpr std::chrono::seconds kDirectoryRefresh{2};
// Threads refreshing tokens and probing quotas; each job waits mostly on the network.
constexpr std::size_t kUpkeepWorkers = 4;

// One instance per `strategies:` entry; problems are appended to `issues`.
routing::StrategySet createStrategies(const config::Pipeline& pipeline,
                                      plugin::PluginRegistry& registry, sdk::HostServices& host,
                                      config::ConfigIssues& issues) {
    routing::StrategySet strategies;
    for (const auto& decl : pipeline.strategies) {
        try {
            strategies[decl.name] = registry.createStrategy(decl.type, *decl.config, host);
        } catch (const sdk::ConfigError& e) {
            issues.push_back({e.path(), e.message(), 0});
        } catch (const std::exception& e) {
            issues.push_back({"strategies." + decl.name, e.what(), 0});
        }
    }
    return strategies;
}

}  // namespace

GatewayService::GatewayService(runtime::Runtime& runtime)
    : runtime_(runtime),
      logger_(runtime.host().logger("gateway")),
      generations_(generationGauge(runtime.host().metrics())) {
    const auto startup = std::make_shared<const PipelineGeneration>(
        runtime.plugins(), runtime.pipeline(), generations_);
    in_force_.store(startup);
    const config::Pipeline& pipeline = runtime.pipeline();
    runtime::Host& host = runtime.host();
    host.setListenAddress({pipeline.server.listen_host, pipeline.server.listen_port});
    config::ConfigIssues issues;
    routing::StrategySet strategies =
        bindStrategies(createStrategies(pipeline, runtime.plugins(), host, issues), startup);
    openResponseStore(pipeline.response_store);
    std::vector<server::MountedFamily> families;
    for (std::size_t i = 0; i < pipeline.routes.size(); ++i) {
        const auto& decl = pipeline.routes[i];
        try {
            families.push_back(
                {decl.family, decl.mount,
                 runtime.plugins().createRouteFamily(decl.family, *decl.config, host)});
        } catch (const sdk::ConfigError& e) {
            issues.push_back({e.path(), e.message(), 0});
        } catch (const std::exception& e) {
            issues.push_back({config::indexPath("routes", i), e.what(), 0});
        }
    }
    if (issues.empty()) {
        try {
            routes_ = std::make_unique<server::RouteTable>(std::move(families));
        } catch (const std::invalid_argument& e) {
            issues.push_back({"routes", e.what(), 0});
        }
    }
    const auto origin = upstream::UpstreamOrigin::parse(pipeline.upstream.chatgpt_base_url);
    if (!origin) {
        issues.push_back({"upstream.chatgpt_base_url", "expected an http:// or https:// URL", 0});
    }
    if (!issues.empty()) {
        throw runtime::StartupError(std::move(issues));
    }

    directory_ = std::make_unique<runtime::Directory>(runtime.storage(), pipeline.pools,
                                                      host.logger("directory"));
    routing_ = std::make_unique<routing::RoutingTable>(runtime.secrets(), std::move(strategies),
                                                       host.logger("routing"),
                                                       pipeline.accounts.quota_freshness);
    directory_->onChange(
        [this](const runtime::DirectorySnapshot& snapshot) { routing_->rebuild(snapshot); });
    if (!directory_->refreshNow()) {
        throw runtime::StartupError({{"storage", "cannot load pools, accounts and keys", 0}});
    }
    openSharedState(pipeline.shared_state);
    loadFileOwners();
    planner_ = std::make_unique<routing::RoutePlanner>(affinities_, host.clock());
    connections_ = std::make_unique<upstream::ConnectionPool>(
        *origin, pipeline.upstream.connect_timeout, pipeline.upstream.read_timeout);
    envelope_ = std::make_unique<dispatch::UpstreamEnvelope>(pipeline.upstream);
    attempt_ = std::make_unique<dispatch::UpstreamAttempt>(
        *connections_, *envelope_, cutoff_, host.clock(),
        dispatch::AttemptTiming{pipeline.upstream.read_timeout, pipeline.upstream.stream_keepalive,
                                pipeline.upstream.first_byte_timeout,
                                pipeline.upstream.answer_deadline});
    dispatch_metrics_ = std::make_unique<dispatch::DispatchMetrics>(host.metrics());
    refresher_ = std::make_unique<lifecycle::TokenRefresher>(
        runtime.storage(), runtime.secrets(), host.httpClient(), pipeline.upstream,
        pipeline.accounts, host.clock(), host.logger("tokens"), host.metrics(),
        [this] { directoryChanged(); }, replicas_ ? &replicas_->shared() : nullptr);
    prober_ = std::make_unique<lifecycle::UsageProber>(
        host.httpClient(), *envelope_, pipeline.upstream, pipeline.accounts, *refresher_,
        runtime.storage(), host.clock(), host.random(), host.logger("quota"));
    upkeep_ = std::make_unique<lifecycle::AccountUpkeep>(
        *refresher_, *prober_, *directory_, *routing_, host.clock(),
        pipeline.accounts.refresh_check_interval, kUpkeepWorkers);
    renewal_ = std::make_unique<dispatch::TokenRenewal>(
        [this](const std::string& id) { return upkeep_->renewSoon(id); },
        [this](const std::string& id) -> routing::RoutedAccountPtr {
            const auto snapshot = routing_->snapshot();
            const auto found = snapshot->accounts.find(id);
            return found != snapshot->accounts.end() ? found->second : nullptr;
        },
        host.clock());
    response_history_ =
        std::make_unique<dispatch::ResponseHistory>(dispatch::ResponseHistory::Settings{
            pipeline.server.handoff_history_entries, pipeline.server.handoff_history_bytes});
    dispatcher_ = std::make_unique<dispatch::Dispatcher>(
        *routing_, *planner_, response_owners_, *response_history_, *attempt_, *renewal_,
        *dispatch_metrics_, host.clock(), host.logger("dispatch"));
    key_sockets_ = std::make_unique<dispatch::KeySockets>(
        [this](sdk::CredentialKind kind,
               const sdk::Headers& credential) -> std::optional<sdk::ErrorInfo> {
            auth::AuthOutcome checked = authenticator_->authenticate(kind, credential);
            if (checked.principal) {
                return std::nullopt;
            }
            return std::move(checked.error);
        });
    quota_ = std::make_unique<dispatch::QuotaPresenter>(
        *routing_, host.clock(),
        dispatch::QuotaPresenter::Settings{pipeline.server.pool_quota_view,
                                           pipeline.server.quota_view_refresh},
        [this](const sdk::Principal& caller) { return keyBudget(caller); });
    websockets_ = std::make_unique<dispatch::WebSocketRelay>(
        *routing_, *planner_, response_owners_, *connections_, *envelope_, *dispatch_metrics_,
        *renewal_, *key_sockets_, *quota_, cutoff_,
        dispatch::WebSocketLimits{pipeline.server.max_websocket_message_bytes,
                                  pipeline.server.websocket_message_timeout,
                                  pipeline.upstream.websocket_max_age},
        pipeline.upstream.answer_deadline, host.clock(), host.logger("websocket"));
    openBilling(pipeline.billing);
    admission_ = std::make_unique<admission::AdmissionController>(
        runtime.storage().usage(), host.clock(), host.metrics(), charger_.get(),
        replicas_ ? &replicas_->shared() : nullptr);
    control_ = std::make_unique<control::ControlContext>(
        control::ControlContext{runtime.storage(), [this] { return pipelineOf(in_force_.load()); },
                                runtime.secrets(), host.clock(), [this] { directoryChanged(); },
                                [this] {
                                    if (charger_) {
                                        charger_->refresh();
                                    }
                                }});
    ops::addCatalogueOperation(operations_);
    ops::addPoolOperations(operations_, {runtime.storage(), *routing_, *planner_, host.clock(),
                                         *quota_, file_owners_});
    sign_ins_ = std::make_unique<lifecycle::SignInDesk>(
        *control_, host.httpClient(),
        lifecycle::DeviceSignInEndpoints::from(pipeline.upstream, pipeline.accounts), host.clock(),
        host.logger("sign_in"));
    openAlerts(pipeline.alerts);
    ops::addAdminOperations(
        operations_, {*control_, *routing_, *planner_, *admission_, host.clock(),
                      host.clock().now(), *sign_ins_, recent_traffic_, *prober_, alerts_->board()});
    ops::addCustomerOperations(operations_,
                               {*control_, charger_ ? &charger_->book() : nullptr, *admission_,
                                replicas_ ? &replicas_->shared() : nullptr});
    ops::addPaymentOperations(operations_, *control_);
    delegated_signer_ = std::make_unique<auth::DelegatedCredentialSigner>(
        runtime.secrets().deriveKey("sluice delegated credentials v1"));
    delegation_ =
        std::make_unique<auth::CredentialDelegation>(*directory_, *delegated_signer_, host.clock());
    authenticator_ = std::make_unique<auth::Authenticator>(
        *directory_, *delegated_signer_, host.clock(), charger_ ? &charger_->book() : nullptr);
    // Sockets opened with a key that is revoked, paused or rotated end with the change.
    directory_->onChange([this](const runtime::DirectorySnapshot&) { key_sockets_->sweep(); });
    accounting::RequestLogWriter::Options log_options;
    log_options.traffic = &recent_traffic_;
    request_log_ = std::make_unique<accounting::RequestLogWriter>(
        runtime.storage(), host.metrics(), host.logger("request_log"), log_options);
    request_metrics_ = std::make_unique<server::RequestMetrics>(host.metrics());
    account_gauges_ = std::make_unique<routing::AccountGauges>(host.metrics(), *routing_, *planner_,
                                                               host.clock());
    account_gauges_collector_ =
        host.metricsRegistry().addCollector([this] { account_gauges_->refresh(); });
    context_.reset(new server::ServerContext{
        *routes_, *authenticator_, *dispatcher_, *websockets_, *quota_, cutoff_, *admission_,
        operations_, file_owners_, *request_log_, charger_.get(), host.metricsRegistry(),
        *request_metrics_, runtime.storage(), host.logger("server"), host.clock(),
        pipeline.server.max_body_bytes, pipeline.server.metrics_token, replicas_.get()});
    server_ = std::make_unique<server::GatewayServer>(pipeline.server, *context_);
    host.setListenAddress({pipeline.server.listen_host, server_->port()});
    host.setDelegation(delegation_.get());
}

routing::KeyBudget GatewayService::keyBudget(const sdk::Principal& caller) {
    routing::KeyBudget budget;
    const auto policy = admission_->policyOf(caller);
    const auto* limits = std::get_if<std::shared_ptr<const admission::KeyPolicy>>(&policy);
    if (limits == nullptr || *limits == nullptr || !(*limits)->limitsTokens()) {
        return budget;
    }
    const admission::KeyLoad load = admission_->load(caller.id);
    budget.per_day = (*limits)->tokens_per_day;
    budget.used_today = load.tokens_today;
    budget.per_week = (*limits)->tokens_per_week;
    budget.used_this_week = load.tokens_this_week;
    return budget;
}

void GatewayService::loadFileOwners() {
    std::vector<std::string> pools;
    for (const auto& pool : directory_->snapshot()->pools) {
        pools.push_back(pool.name);
    }
    const sdk::Status loaded =
        file_owners_.load(runtime_.storage().files(), pools, runtime_.host().clock().now());
    if (!loaded.ok()) {
        throw runtime::StartupError(
            {{"storage", "cannot load file owners: " + loaded.message(), 0}});
    }
    logger_.info("file_owners_loaded", {{"files", std::to_string(file_owners_.size())}});
}

void GatewayService::directoryChanged() {
    directory_->refreshNow();
    if (replicas_) {
        replicas_->announceDirectoryChange();
    }
}

GatewayService::~GatewayService() {
    runtime_.host().setDelegation(nullptr);
    stop();
    runtime_.host().setResponseStore(nullptr);
    runtime_.host().metricsRegistry().removeCollector(account_gauges_collector_);
    if (wallet_gauges_) {
        runtime_.host().metricsRegistry().removeCollector(wallet_gauges_collector_);
    }
}

void GatewayService::start() {
    server_->start();
    if (replicas_) {
        replicas_->start();
    }
    directory_->startRefreshing(kDirectoryRefresh);
    upkeep_->start();
    alerts_->start();
    if (charger_) {
        charger_->start();
    }
    const auto& server = runtime_.pipeline().server;
    logger_.info("listening", {{"address", server.listen_host + ":" + std::to_string(port())},
                               {"routes", std::to_string(routes_->routes().size())}});
}

std::uint16_t GatewayService::port() const {
    return server_->port();
}

config::ConfigIssues GatewayService::reload() {
    const GenerationPtr previous = in_force_.load();
    const config::Pipeline& current = previous->pipeline();
    auto registry = std::make_unique<plugin::PluginRegistry>();
    const config::PipelineLoader loader(runtime_.environment(),
                                        plugin::defaultPluginPaths(runtime_.executable()));
    auto loaded = std::make_unique<config::Pipeline>();
    config::ConfigIssues issues = loader.load(current.source, *registry, *loaded);
    const auto generation = std::make_shared<const PipelineGeneration>(
        std::move(registry), std::move(loaded), generations_);
    const config::Pipeline& next = generation->pipeline();
    routing::StrategySet strategies;
    if (issues.empty()) {
        strategies = bindStrategies(
            createStrategies(next, generation->registry(), runtime_.host(), issues), generation);
    }
    if (!issues.empty()) {
        for (const auto& issue : issues) {
            logger_.error("reload_refused", {{"problem", issue.describe()}});
        }
        return issues;
    }
    for (const char* section : {"server", "plugins", "storage", "shared_state", "secrets",
                                "upstream", "accounts", "alerts", "routes"}) {
        if (config::writeYaml(*current.tree->find(section)) !=
            config::writeYaml(*next.tree->find(section))) {
            logger_.warn("reload_needs_restart", {{"section", section}});
        }
    }
    routing_->replaceStrategies(std::move(strategies));
    directory_->replaceDeclaredPools(next.pools);
    directory_->refreshNow();
    in_force_.store(generation);
    logger_.info("reloaded", {{"strategies", std::to_string(next.strategies.size())},
                              {"pools", std::to_string(next.pools.size())}});
    return {};
}

void GatewayService::stop() {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    logger_.info("draining", {{"in_flight", std::to_string(context_->in_flight.load())}});
    upkeep_->stop();
    alerts_->stop();
    server_->drainAndStop(runtime_.pipeline().server.drain_timeout);
    if (replicas_) {
        replicas_->stop();
    }
    directory_->stopRefreshing();
    request_log_->stop();
    if (responses_) {
        responses_->stop();  // writes the answers kept by the last requests
    }
    if (charger_) {
        charger_->stop();  // books what the last requests journaled
    }
    logger_.info("stopped");
}

}  // namespace sluice::core::app
