#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "codex_run.hpp"
#include "concurrency_limiter.hpp"
#include "run_request.hpp"
#include "runner_config.hpp"
#include "runner_metrics.hpp"
#include "session_store.hpp"
#include "sluice/plugins/common/workspace_roots.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::plugins::route_runner {

/// Mints a short-lived credential that authenticates as Pool API key `key_id` (the runner's
/// view of sdk::DelegatedCredentials). Thread-safe.
using CredentialMinter =
    std::function<sdk::Result<std::string>(const std::string& key_id, std::chrono::seconds ttl)>;
/// Sluice's own Codex backend on loopback, e.g. "http://127.0.0.1:4000/backend-api/codex";
/// empty while the gateway is not listening.
using BackendUrl = std::function<std::string()>;

/// An answer in the seed's dialect: a status and a JSON body (`retry_after` > 0 adds the header).
struct RunAnswer {
    int status = 200;
    nlohmann::json body;
    std::int64_t retry_after = 0;
};

/// What the service needs from its surroundings; all outlive it.
struct RunnerDeps {
    const RunnerConfig& config;
    SessionStore& sessions;
    ConcurrencyLimiter& limiter;
    RunnerMetrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
    sdk::Random& random;
    CredentialMinter mint;
    BackendUrl backend_url;
    /// Called after each completed run with the webhook payload (must not block).
    std::function<void(const nlohmann::json&)> on_completed;
};

/// Runs Codex for every source: checks the session (404, 403 secure, 409 busy), takes a slot
/// (API: 429 when full; triggers and the watcher wait), confines the workspace (400), mints the
/// payer's credential, prepares the session's CODEX_HOME, runs `codex exec` with retries inside
/// one time budget, and records the run in the session. Thread-safe; blocks the calling thread
/// for the run.
class RunnerService final {
public:
    explicit RunnerService(RunnerDeps deps);

    /// `secure_token`: what the caller presented (for secure sessions).
    RunAnswer run(const RunRequest& request, const std::string& secure_token);

    /// Whether `presented` opens secure sessions.
    bool secureAccess(const std::string& presented) const;

private:
    struct Attempt;
    struct RunContext;
    RunAnswer runLocked(const RunRequest& request, const SessionView& session);
    RunAnswer execute(const RunRequest& request, const SessionView& session,
                      const std::filesystem::path& workspace);
    /// Mints the payer's credential and writes the session's CODEX_HOME; an answer on failure.
    std::optional<RunAnswer> prepare(const RunContext& run, std::string& credential);
    /// Runs codex, retrying failures while the budget allows.
    Attempt attempts(const RunContext& run, const std::string& credential);
    /// Records the run in the session, metrics and log, and answers.
    RunAnswer finish(const RunContext& run, const Attempt& attempt);
    RunAnswer answerOf(const RunContext& run, const Attempt& attempt, const RunUsage& usage,
                       const std::string& finished);
    std::chrono::milliseconds budget(const RunRequest& request) const;
    std::string newId();

    RunnerDeps deps_;
    common::WorkspaceRoots roots_;
};

}  // namespace sluice::plugins::route_runner
