#include "runner_service.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "exec_spec.hpp"
#include "json_fields.hpp"
#include "sluice/plugins/common/codex_home.hpp"
#include "sluice/plugins/common/private_files.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kPreviewChars = 400;
constexpr milliseconds kMaxRetryDelay{5000};

RunAnswer failure(int status, const std::string& message, json extra = json::object()) {
    extra["error"] = message;
    return {status, std::move(extra), 0};
}

std::string preview(const std::string& text) {
    return text.size() <= kPreviewChars ? text : text.substr(0, kPreviewChars);
}

std::string hex(std::uint64_t a, std::uint64_t b) {
    char buffer[33];
    std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b));
    return buffer;
}

// Ends the session's run when the scope ends, whatever path left it.
class SessionRunGuard final {
public:
    SessionRunGuard(SessionStore& store, std::string id) : store_(store), id_(std::move(id)) {}
    ~SessionRunGuard() { store_.end(id_); }
    SessionRunGuard(const SessionRunGuard&) = delete;
    SessionRunGuard& operator=(const SessionRunGuard&) = delete;

private:
    SessionStore& store_;
    std::string id_;
};

}  // namespace

RunnerService::RunnerService(RunnerDeps deps)
    : deps_(std::move(deps)), roots_(deps_.config.workspace_roots) {}

bool RunnerService::secureAccess(const std::string& presented) const {
    const std::string& token = deps_.config.secure_token;
    if (token.empty() || presented.size() != token.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i) {
        diff |= static_cast<unsigned char>(token[i] ^ presented[i]);
    }
    return diff == 0;
}

std::string RunnerService::newId() {
    return hex(deps_.random.next(), deps_.random.next());
}

milliseconds RunnerService::budget(const RunRequest& request) const {
    const milliseconds wanted = request.timeout.value_or(deps_.config.timeout);
    return std::clamp(wanted, deps_.config.min_timeout, deps_.config.max_timeout);
}

RunAnswer RunnerService::run(const RunRequest& request, const std::string& secure_token) {
    std::optional<SessionView> session;
    if (!request.session_id.empty()) {
        session = deps_.sessions.find(request.session_id);
        if (!session) {
            return failure(404, "Session '" + request.session_id + "' not found");
        }
        if (flagField(session->meta, "secure", false) && !secureAccess(secure_token)) {
            return failure(403, "Secure session requires a valid token");
        }
    } else if (request.secure && deps_.config.secure_token.empty()) {
        return failure(400, "secure sessions need the gateway's secure_token to be configured");
    }
    if (session) {
        const std::string id = session->meta["session_id"];
        if (!deps_.sessions.tryBegin(id)) {
            deps_.metrics.outcome(request.source, "rejected_conflict");
            return failure(409, "Session '" + id + "' already has a run in progress",
                           {{"session_id", id}});
        }
        SessionRunGuard guard(deps_.sessions, id);
        return runLocked(request, *session);
    }
    auto created = deps_.sessions.create(request.secure, request.payer, deps_.clock.now(), newId());
    if (!created.ok()) {
        return failure(500, "cannot create the session: " + created.status().message());
    }
    const std::string id = created->meta["session_id"];
    deps_.sessions.tryBegin(id);
    SessionRunGuard guard(deps_.sessions, id);
    return runLocked(request, created.value());
}

RunAnswer RunnerService::runLocked(const RunRequest& request, const SessionView& session) {
    std::string wanted = request.workspace;
    if (wanted.empty() && session.meta.value("workspace", json()).is_string()) {
        wanted = session.meta["workspace"];
    }
    auto workspace = roots_.resolve(wanted);
    if (!workspace.ok()) {
        deps_.metrics.outcome(request.source, "rejected_invalid");
        return failure(400, workspace.status().message());
    }
    if (request.source == RunSource::Api) {
        if (!deps_.limiter.tryAcquire()) {
            deps_.metrics.outcome(request.source, "rejected_busy");
            const auto after = deps_.config.retry_after.count();
            return {429,
                    {{"error", "Too many concurrent requests"},
                     {"retry_after", after},
                     {"active", deps_.limiter.active()},
                     {"max", deps_.limiter.max()}},
                    after};
        }
    } else {
        deps_.metrics.queueDepth().add(1);
        const bool got = deps_.limiter.acquire();
        deps_.metrics.queueDepth().add(-1);
        if (!got) {
            return failure(503, "the runner is shutting down");
        }
    }
    SlotGuard slot(deps_.limiter);
    deps_.metrics.active().add(1);
    RunAnswer answer = execute(request, session, workspace.value());
    deps_.metrics.active().add(-1);
    return answer;
}

struct RunnerService::Attempt {
    CodexRun::Phase phase = CodexRun::Phase::Failed;
    ExecTranscript transcript;
    std::string error;
    std::string stderr_tail;
    int exit_code = -1;
    pid_t pid = 0;
};

struct RunnerService::RunContext {
    const RunRequest& request;
    const SessionView& session;
    const fs::path& workspace;
    std::string session_id;
    std::string run_id;
    std::string model;
    milliseconds budget{};
    std::chrono::steady_clock::time_point started_steady;
    std::chrono::steady_clock::time_point deadline;
    std::chrono::system_clock::time_point started;
};

RunAnswer RunnerService::execute(const RunRequest& request, const SessionView& session,
                                 const fs::path& workspace) {
    RunContext run{request, session, workspace};
    run.session_id = session.meta["session_id"];
    run.run_id = "run-" + newId().substr(0, 16);
    run.model = request.model.empty() ? deps_.config.default_model : request.model;
    run.budget = budget(request);
    run.started_steady = std::chrono::steady_clock::now();
    run.deadline = run.started_steady + run.budget;
    run.started = deps_.clock.now();

    std::string credential;
    if (auto refused = prepare(run, credential)) {
        return *refused;
    }
    const Attempt attempt = attempts(run, credential);
    return finish(run, attempt);
}

std::optional<RunAnswer> RunnerService::prepare(const RunContext& run, std::string& credential) {
    const std::string base_url = deps_.backend_url();
    if (base_url.empty()) {
        return failure(503, "the gateway is not listening yet");
    }
    const auto ttl =
        std::chrono::duration_cast<std::chrono::seconds>(run.budget + deps_.config.kill_grace) +
        std::chrono::seconds(60);
    auto minted = deps_.mint(run.request.payer, ttl);
    if (!minted.ok()) {
        const bool refused = minted.status().code() == sdk::StatusCode::NotFound ||
                             minted.status().code() == sdk::StatusCode::FailedPrecondition;
        return failure(refused ? 403 : 503,
                       "the paying Pool API key cannot be used: " + minted.status().message());
    }
    credential = std::move(minted).value();
    const std::string sandbox =
        deps_.config.sandbox == "bypass" ? "danger-full-access" : deps_.config.sandbox;
    if (auto home =
            common::writeCodexHome(run.session.dir / "codex-home",
                                   {base_url, kCredentialVariable, run.model, "never", sandbox});
        !home.ok()) {
        return failure(500, "cannot prepare CODEX_HOME: " + home.message());
    }
    deps_.sessions.update(run.session_id, [&](json& meta) {
        meta["status"] = "running";
        meta["updated_at"] = isoTime(run.started);
        meta["workspace"] = run.workspace.string();
    });
    common::appendPrivateFile(
        run.session.dir / "stdout.log",
        "===== RUN " + run.run_id + " START " + isoTime(run.started) + " =====\n");
    return std::nullopt;
}

RunnerService::Attempt RunnerService::attempts(const RunContext& run,
                                               const std::string& credential) {
    const fs::path dir = run.session.dir;
    const RunOutput output{
        [&dir](std::string_view bytes) { common::appendPrivateFile(dir / "stdout.log", bytes); },
        [&dir](std::string_view bytes) { common::appendPrivateFile(dir / "stderr.log", bytes); }};
    Attempt attempt;
    SessionView current = run.session;
    for (int tried = 0;; ++tried) {
        CodexRun codex(
            execSpec(deps_.config, run.request, current, run.workspace, credential, run.deadline),
            output);
        attempt = {codex.execute(),    codex.transcript(), codex.error(),
                   codex.stderrTail(), codex.exitCode(),   codex.pid()};
        if (!attempt.transcript.thread_id.empty()) {
            const std::string thread = attempt.transcript.thread_id;
            deps_.sessions.update(run.session_id,
                                  [&](json& meta) { meta["codex_session_id"] = thread; });
            current.meta["codex_session_id"] = thread;
        }
        const bool empty = attempt.transcript.output.empty() && deps_.config.retry_on_empty;
        if ((attempt.phase == CodexRun::Phase::Completed && !empty) ||
            attempt.phase == CodexRun::Phase::TimedOut || tried >= deps_.config.max_retries) {
            return attempt;
        }
        const milliseconds delay =
            std::min(deps_.config.retry_delay * (1 << tried), kMaxRetryDelay);
        if (std::chrono::steady_clock::now() + delay + deps_.config.min_timeout > run.deadline) {
            return attempt;
        }
        std::this_thread::sleep_for(delay);
    }
}

RunAnswer RunnerService::finish(const RunContext& run, const Attempt& attempt) {
    const auto finished = deps_.clock.now();
    const auto elapsed = std::chrono::steady_clock::now() - run.started_steady;
    const auto duration_ms = std::chrono::duration_cast<milliseconds>(elapsed).count();
    const char* status = phaseName(attempt.phase);
    const fs::path& dir = run.session.dir;
    common::appendPrivateFile(
        dir / "stdout.log",
        "===== RUN " + run.run_id + " END " + isoTime(finished) + " [" + status + "] =====\n");
    std::string events;
    for (json event : attempt.transcript.events) {
        event["run_id"] = run.run_id;
        events += event.dump() + "\n";
    }
    common::appendPrivateFile(dir / "events.jsonl", events);

    // turn.completed counts the whole thread: this run's share is the growth since the last.
    const RunUsage cumulative = attempt.transcript.usage.value_or(RunUsage{});
    const json resumed = run.session.meta.value("codex_session_id", json());
    const std::string& thread = attempt.transcript.thread_id;
    const bool same_thread = resumed.is_string() && (thread.empty() || resumed == json(thread));
    const RunUsage usage =
        same_thread
            ? cumulative.since(RunUsage::fromJson(run.session.meta.value("usage_total", json())))
            : cumulative;

    json record = {{"run_id", run.run_id},
                   {"status", status},
                   {"source", runSourceName(run.request.source)},
                   {"started_at", isoTime(run.started)},
                   {"completed_at", isoTime(finished)},
                   {"duration_ms", duration_ms},
                   {"timeout_ms", run.budget.count()},
                   {"prompt_preview", preview(run.request.prompt)},
                   {"content_preview", preview(attempt.transcript.output)},
                   {"model", run.model},
                   {"pid", attempt.pid},
                   {"payer", run.request.payer}};
    if (attempt.transcript.usage) {
        record["usage"] = usage.toJson();
    }
    if (attempt.phase != CodexRun::Phase::Completed) {
        record["error"] = attempt.error;
    }
    if (!run.request.trigger_id.empty()) {
        record["trigger_id"] = run.request.trigger_id;
    }
    deps_.sessions.update(run.session_id, [&](json& meta) {
        meta["status"] = attempt.phase == CodexRun::Phase::Completed ? "idle" : status;
        meta["updated_at"] = isoTime(finished);
        meta["last_activity_at"] = isoTime(finished);
        meta["model"] = run.model;
        if (!run.request.metadata.empty()) {
            meta["metadata"] = run.request.metadata;
        }
        for (const auto& [key, value] : {std::pair{"objective", &run.request.objective},
                                         std::pair{"nudge_prompt", &run.request.nudge_prompt}}) {
            if (!value->empty()) {
                meta[key] = *value;
            }
        }
        if (attempt.transcript.usage) {
            meta["usage_total"] = cumulative.toJson();
        }
        meta["runs"].push_back(record);
    });
    deps_.metrics.outcome(run.request.source, status);
    deps_.metrics.duration(std::chrono::duration<double>(elapsed).count());
    deps_.logger.info("runner_run", {{"session", run.session_id},
                                     {"run", run.run_id},
                                     {"source", runSourceName(run.request.source)},
                                     {"key", run.request.payer},
                                     {"outcome", status},
                                     {"duration_ms", std::to_string(duration_ms)}});
    return answerOf(run, attempt, usage, isoTime(finished));
}

RunAnswer RunnerService::answerOf(const RunContext& run, const Attempt& attempt,
                                  const RunUsage& usage, const std::string& finished) {
    const std::string& thread = attempt.transcript.thread_id;
    json body = {{"session_id", run.session_id},
                 {"gateway_session_id", run.session_id},
                 {"run_id", run.run_id},
                 {"codex_session_id", thread.empty() ? json() : json(thread)},
                 {"pid", attempt.pid}};
    if (attempt.phase == CodexRun::Phase::TimedOut) {
        body["error"] = "Timeout exceeded";
        body["timeout_ms"] = run.budget.count();
        return {408, body, 0};
    }
    if (attempt.phase != CodexRun::Phase::Completed) {
        body["error"] = attempt.error;
        body["stderr"] = attempt.stderr_tail;
        body["exit_code"] = attempt.exit_code;
        return {500, body, 0};
    }
    const std::string& output = attempt.transcript.output;
    body["status"] = "completed";
    body["model"] = run.model.empty() ? json() : json(run.model);
    body["output"] = output;
    body["content"] = output;
    body["messages"] = run.request.messages;
    body["messages"].push_back({{"role", "assistant"}, {"content", output}});
    body["tool_calls"] = attempt.transcript.tool_calls;
    body["usage"] = usage.toJson();
    body["logs_path"] = run.session.dir.string();
    body["session_url"] = "/sessions/" + run.session_id;
    body["metadata"] = run.request.metadata;
    if (run.request.include_events) {
        body["events"] = attempt.transcript.events;
    }
    if (deps_.on_completed) {
        json payload = body;
        payload.erase("pid");
        payload["workspace"] = run.workspace.string();
        payload["prompt"] = run.request.prompt;
        payload["completed_at"] = finished;
        // The public code's receivers read camelCase names.
        payload["sessionId"] = run.session_id;
        payload["gatewaySessionId"] = run.session_id;
        payload["codexSessionId"] = body["codex_session_id"];
        payload["toolCalls"] = body["tool_calls"];
        payload["completedAt"] = finished;
        deps_.on_completed(payload);
    }
    return {200, body, 0};
}

}  // namespace sluice::plugins::route_runner
