#include "runner_family.hpp"

#include <sys/resource.h>

#include <fstream>

#include "file_watcher.hpp"
#include "json_fields.hpp"
#include "session_views.hpp"
#include "sluice/plugins/common/private_files.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/plugins/common/requests.hpp"
#include "sluice/plugins/common/wallet_preflight.hpp"
#include "trigger_scheduler.hpp"
#include "webhook_sender.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;

namespace {

constexpr int kMaxSessionsListed = 200;
constexpr int kDefaultSessionsListed = 50;

bool truthy(const std::optional<std::string>& value) {
    return value && (*value == "1" || *value == "true" || *value == "yes" || *value == "on");
}

int intParam(std::string_view query, const char* name, int fallback, int low, int high) {
    const auto value = common::queryParam(query, name);
    if (!value) {
        return fallback;
    }
    try {
        return std::clamp(std::stoi(*value), low, high);
    } catch (const std::exception&) {
        return fallback;
    }
}

long residentBytes() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return resident * 4096;
}

}  // namespace

RunnerFamily::RunnerFamily(RunnerConfig config, RunnerHost host)
    : config_(std::move(config)),
      host_(std::move(host)),
      started_(std::chrono::steady_clock::now()),
      sessions_(config_.state_dir, config_.secure_dir),
      limiter_(config_.max_concurrent),
      metrics_(host_.metrics),
      webhook_(
          std::make_unique<WebhookSender>(config_.webhook, host_.http, host_.logger, metrics_)),
      service_(RunnerDeps{config_, sessions_, limiter_, metrics_, host_.logger, host_.clock,
                          host_.random, host_.mint, host_.backend_url,
                          [this](const json& payload) { webhook_->enqueue(payload); }}) {
    if (config_.triggers.enabled) {
        scheduler_ = std::make_unique<TriggerScheduler>(config_.triggers, service_, host_.clock,
                                                        host_.random, host_.logger);
    }
    if (!config_.watcher.paths.empty()) {
        watcher_ = std::make_unique<FileWatcher>(
            config_.watcher,
            [this](const WatchEvent& event) {
                watch_runs_.start([this, event] { watchRun(event); });
            },
            host_.logger);
    }
}

RunnerFamily::~RunnerFamily() {
    // Background sources stop first; a queued background run is released by the limiter.
    limiter_.shutdown();
    watcher_.reset();
    scheduler_.reset();
}

void RunnerFamily::watchRun(const WatchEvent& event) {
    std::string prompt_template;
    if (!config_.watcher.prompt_file.empty()) {
        auto text = common::readWholeFile(config_.watcher.prompt_file);
        prompt_template = text.ok() ? std::move(text).value() : std::string();
    }
    const std::string prompt = renderWatchPrompt(prompt_template, event);
    auto request = parseRunRequest(json{{"prompt", prompt}}, BodyKind::Completion);
    if (!request.ok()) {
        return;
    }
    request->source = RunSource::Watcher;
    request->payer = config_.watcher.owner_key;
    const RunAnswer outcome = service_.run(request.value(), "");
    host_.logger.info("runner_watch_run", {{"status", std::to_string(outcome.status)}});
}

std::vector<sdk::RouteSpec> RunnerFamily::routes() const {
    using sdk::CredentialKind;
    using sdk::RouteClass;
    const std::uint64_t body = config_.max_body_bytes;
    const auto key =
        config_.open_access_key.empty() ? CredentialKind::PoolKey : CredentialKind::None;
    return {
        {"GET", "/health", "runner.health", CredentialKind::None, RouteClass::Local},
        {"GET", "", "runner.info", key, RouteClass::Local},
        {"GET", "/status", "runner.status", key, RouteClass::Local},
        {"POST", "/completion", "runner.completion", key, RouteClass::Local, false, body},
        {"GET", "/sessions", "runner.sessions.list", key, RouteClass::Local},
        {"GET", "/sessions/{id}", "runner.sessions.detail", key, RouteClass::Local},
        {"GET", "/sessions/{id}/search", "runner.sessions.search", key, RouteClass::Local},
        {"POST", "/sessions/{id}/prompt", "runner.sessions.prompt", key, RouteClass::Local, false,
         body},
        {"POST", "/sessions/{id}/nudge", "runner.sessions.nudge", key, RouteClass::Local, false,
         body},
        {"GET", "/triggers", "runner.triggers.list", key, RouteClass::Local},
        {"POST", "/triggers", "runner.triggers.create", key, RouteClass::Local, false, body},
        {"PATCH", "/triggers/{id}", "runner.triggers.update", key, RouteClass::Local, false, body},
        {"PUT", "/triggers/{id}", "runner.triggers.update", key, RouteClass::Local, false, body},
        {"DELETE", "/triggers/{id}", "runner.triggers.delete", key, RouteClass::Local},
    };
}

void RunnerFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        serve(exchange);
    } catch (const std::exception&) {
        sendError(exchange,
                  {500, "server_error", "internal_error", "Internal Server Error", "", 0, ""});
    }
}

void RunnerFamily::serve(sdk::Exchange& exchange) {
    const std::string_view op = exchange.operation();
    if (op == "runner.health") {
        answer(exchange, {200, {{"status", "ok"}}, 0});
    } else if (op == "runner.info") {
        info(exchange);
    } else if (op == "runner.status") {
        status(exchange);
    } else if (op == "runner.completion") {
        completion(exchange, BodyKind::Completion);
    } else if (op == "runner.sessions.prompt") {
        completion(exchange, BodyKind::Prompt);
    } else if (op == "runner.sessions.nudge") {
        completion(exchange, BodyKind::Nudge);
    } else if (op == "runner.sessions.list") {
        listSessions(exchange);
    } else if (op == "runner.sessions.detail") {
        sessionDetail(exchange);
    } else if (op == "runner.sessions.search") {
        searchSession(exchange);
    } else if (op.rfind("runner.triggers.", 0) == 0) {
        triggers(exchange);
    } else {
        answer(exchange, {404, {{"error", "Not Found"}}, 0});
    }
}

void RunnerFamily::answer(sdk::Exchange& exchange, const RunAnswer& answer) {
    sdk::Headers headers{{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
    if (answer.retry_after > 0) {
        headers.push_back({"Retry-After", std::to_string(answer.retry_after)});
    }
    exchange.response().send(answer.status, headers, answer.body.dump());
}

void RunnerFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    try {
        // The seed answers an oversized body with 400 ("Invalid payload or body too large").
        const int status = error.http_status == 413 ? 400 : error.http_status;
        json body = {{"error", error.message}};
        if (!error.code.empty()) {
            body["code"] = error.code;
        }
        answer(exchange, {status, body, error.retry_after_seconds});
    } catch (const std::exception&) {
        exchange.response().sendError(error);
    }
}

std::string RunnerFamily::payer(const sdk::Exchange& exchange) const {
    const std::string& id = exchange.principal().id;
    return id.empty() ? config_.open_access_key : id;
}

std::string RunnerFamily::presentedToken(const sdk::Exchange& exchange) const {
    for (const char* name : {"x-codex-secure-token", "x-secure-token"}) {
        if (const auto value = exchange.header(name)) {
            return std::string(*value);
        }
    }
    return common::queryParam(exchange.query(), "secure_token").value_or("");
}

json RunnerFamily::watcherStatus() const {
    return watcher_ ? watcher_->status()
                    : json{{"enabled", false},
                           {"paths", json::array()},
                           {"pattern", config_.watcher.pattern}};
}

json RunnerFamily::webhookStatus() const {
    return webhook_->status();
}

void RunnerFamily::info(sdk::Exchange& exchange) {
    const auto path = [](const char* p, const char* method) {
        return json{{"path", p}, {"method", method}};
    };
    json body = {
        {"status", "codex-gateway"},
        {"watcher", watcherStatus()},
        {"webhook", webhookStatus()},
        {"env", {{"CODEX_GATEWAY_SESSION_DIRS", json::array({sessions_.root().string()})}}},
        {"endpoints",
         {{"health", "/health"},
          {"status", "/status"},
          {"completion", path("/completion", "POST")},
          {"sessions",
           {{"list", path("/sessions", "GET")},
            {"detail", path("/sessions/:id", "GET")},
            {"search", path("/sessions/:id/search", "GET")},
            {"prompt", path("/sessions/:id/prompt", "POST")},
            {"nudge", path("/sessions/:id/nudge", "POST")}}},
          {"triggers",
           {{"list", path("/triggers", "GET")},
            {"create", path("/triggers", "POST")},
            {"update", path("/triggers/:id", "PATCH")},
            {"delete", path("/triggers/:id", "DELETE")}}}}}};
    answer(exchange, {200, body, 0});
}

void RunnerFamily::status(sdk::Exchange& exchange) {
    const int active = limiter_.active();
    const double uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    json body = {{"concurrency",
                  {{"active", active},
                   {"max", limiter_.max()},
                   {"available", std::max(0, limiter_.max() - active)},
                   {"queued", limiter_.waiting()}}},
                 {"uptime", uptime},
                 {"memory", {{"rss", residentBytes()}}},
                 {"watcher", watcherStatus()},
                 {"webhook", webhookStatus()},
                 {"triggers", {{"enabled", scheduler_ != nullptr}}}};
    answer(exchange, {200, body, 0});
}

void RunnerFamily::completion(sdk::Exchange& exchange, BodyKind kind) {
    auto body = common::readJsonObject(exchange, *this);
    if (!body) {
        return;
    }
    std::string fallback;
    std::string session_id;
    if (kind != BodyKind::Completion) {
        auto session = visibleSession(exchange);
        if (!session) {
            return;
        }
        session_id = session->meta["session_id"];
        fallback = textField(session->meta, "nudge_prompt");
        if (kind == BodyKind::Nudge && fallback.empty() && !session->meta["runs"].empty()) {
            fallback = textField(session->meta["runs"].back(), "prompt_preview");
        }
    }
    auto request = parseRunRequest(*body, kind, fallback);
    if (!request.ok()) {
        answer(exchange, {400, {{"error", request.status().message()}}, 0});
        return;
    }
    if (!session_id.empty()) {
        request->session_id = session_id;
    }
    if (auto refused = common::walletRefusal(exchange.gateway())) {
        sendError(exchange, *refused);
        return;
    }
    request->payer = payer(exchange);
    request->source = RunSource::Api;
    answer(exchange, service_.run(request.value(), presentedToken(exchange)));
}

std::optional<SessionView> RunnerFamily::visibleSession(sdk::Exchange& exchange) {
    const std::string id(exchange.pathParam("id").value_or(""));
    auto session = sessions_.find(id);
    if (!session) {
        answer(exchange, {404, {{"error", "Session '" + id + "' not found"}}, 0});
        return std::nullopt;
    }
    if (flagField(session->meta, "secure", false) &&
        !service_.secureAccess(presentedToken(exchange))) {
        answer(exchange, {403, {{"error", "Secure session requires a valid token"}}, 0});
        return std::nullopt;
    }
    return session;
}

void RunnerFamily::listSessions(sdk::Exchange& exchange) {
    const std::string_view query = exchange.query();
    const int limit = intParam(query, "limit", kDefaultSessionsListed, 1, kMaxSessionsListed);
    std::string since;
    if (const auto raw = common::queryParam(query, "since")) {
        auto instant = parseIsoTime(*raw);
        if (!instant) {
            answer(exchange, {400, {{"error", "since must be an ISO 8601 timestamp"}}, 0});
            return;
        }
        since = isoTime(*instant);
    }
    const bool secure = service_.secureAccess(presentedToken(exchange));
    json list = json::array();
    for (const SessionView& session :
         sessions_.list(static_cast<std::size_t>(limit), since, secure)) {
        list.push_back(sessionSummary(session));
    }
    answer(exchange, {200, list, 0});
}

void RunnerFamily::sessionDetail(sdk::Exchange& exchange) {
    auto session = visibleSession(exchange);
    if (!session) {
        return;
    }
    const std::string_view query = exchange.query();
    DetailOptions options;
    const int tail = intParam(query, "tail", config_.default_tail_lines, 1, config_.max_tail_lines);
    options.tail_lines = intParam(query, "tail_lines", tail, 1, config_.max_tail_lines);
    options.include_stderr = truthy(common::queryParam(query, "include_stderr"));
    options.include_events = truthy(common::queryParam(query, "include_events"));
    answer(exchange, {200, route_runner::sessionDetail(*session, options), 0});
}

void RunnerFamily::searchSession(sdk::Exchange& exchange) {
    const std::string_view query = exchange.query();
    const auto q = common::queryParam(query, "q");
    if (!q || q->empty()) {
        answer(exchange, {400, {{"error", "Query parameter q is required"}}, 0});
        return;
    }
    auto session = visibleSession(exchange);
    if (!session) {
        return;
    }
    SearchOptions options;
    options.query = *q;
    options.fuzzy = truthy(common::queryParam(query, "fuzzy"));
    options.max_results = intParam(query, "max_results", 5, 1, 100);
    options.tail_lines = intParam(query, "tail_lines", 0, 0, config_.max_tail_lines);
    if (const auto min = common::queryParam(query, "min_score")) {
        try {
            options.min_score = std::clamp(std::stod(*min), 0.0, 1.0);
        } catch (const std::exception&) {
        }
    }
    answer(exchange, {200, route_runner::searchSession(*session, options), 0});
}

void RunnerFamily::triggers(sdk::Exchange& exchange) {
    if (!scheduler_) {
        answer(exchange, {404, {{"error", "Triggers are disabled"}}, 0});
        return;
    }
    const std::string file =
        common::queryParam(exchange.query(), "trigger_file")
            .value_or(common::queryParam(exchange.query(), "file").value_or(""));
    const std::string_view op = exchange.operation();
    const std::string id(exchange.pathParam("id").value_or(""));
    if (op == "runner.triggers.list") {
        answer(exchange, scheduler_->list(file));
        return;
    }
    if (op == "runner.triggers.delete") {
        answer(exchange, scheduler_->remove(file, id));
        return;
    }
    auto body = common::readJsonObject(exchange, *this);
    if (!body) {
        return;
    }
    answer(exchange, op == "runner.triggers.create"
                         ? scheduler_->create(file, *body, payer(exchange))
                         : scheduler_->update(file, id, *body));
}

}  // namespace sluice::plugins::route_runner
