#pragma once

#include <chrono>
#include <memory>

#include "background_runs.hpp"
#include "concurrency_limiter.hpp"
#include "runner_config.hpp"
#include "runner_metrics.hpp"
#include "runner_service.hpp"
#include "session_store.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_runner {

class TriggerScheduler;
class FileWatcher;
struct WatchEvent;
class WebhookSender;

/// What the family borrows from the host (all outlive it).
struct RunnerHost {
    sdk::Logger& logger;
    sdk::Metrics& metrics;
    const sdk::Clock& clock;
    sdk::Random& random;
    sdk::HttpClient& http;
    CredentialMinter mint;
    BackendUrl backend_url;
};

/// The seed's Codex gateway as a route family: runs `codex exec` per request against Sluice's
/// own pool, with sessions on disk, scheduled triggers, a file watcher and webhooks. Answers in
/// the seed's dialect (`{"error": "..."}`). handle() is called concurrently.
class RunnerFamily final : public sdk::RouteFamily {
public:
    RunnerFamily(RunnerConfig config, RunnerHost host);
    ~RunnerFamily() override;

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void serve(sdk::Exchange& exchange);
    void answer(sdk::Exchange& exchange, const RunAnswer& answer);
    void info(sdk::Exchange& exchange);
    void status(sdk::Exchange& exchange);
    void completion(sdk::Exchange& exchange, BodyKind kind);
    void listSessions(sdk::Exchange& exchange);
    void sessionDetail(sdk::Exchange& exchange);
    void searchSession(sdk::Exchange& exchange);
    void triggers(sdk::Exchange& exchange);
    std::optional<SessionView> visibleSession(sdk::Exchange& exchange);
    std::string presentedToken(const sdk::Exchange& exchange) const;
    /// The caller's key prefix, or `open_access_key` when the routes take no key.
    std::string payer(const sdk::Exchange& exchange) const;
    void watchRun(const WatchEvent& event);
    nlohmann::json watcherStatus() const;
    nlohmann::json webhookStatus() const;

    RunnerConfig config_;
    RunnerHost host_;
    std::chrono::steady_clock::time_point started_;
    SessionStore sessions_;
    ConcurrencyLimiter limiter_;
    RunnerMetrics metrics_;
    std::unique_ptr<WebhookSender> webhook_;
    RunnerService service_;
    std::unique_ptr<TriggerScheduler> scheduler_;
    std::unique_ptr<FileWatcher> watcher_;
    BackgroundRuns watch_runs_;  ///< destroyed before what the runs borrow
};

}  // namespace sluice::plugins::route_runner
