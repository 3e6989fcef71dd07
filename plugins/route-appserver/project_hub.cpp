#include "project_hub.hpp"

#include <algorithm>
#include <cstdio>

#include "token_ledger.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

constexpr const char* kTurnsMetric = "sluice_appserver_turns_total";

std::string randomId(sdk::Random& random, const char* prefix) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(random.next()));
    return std::string(prefix) + hex;
}

std::string compact(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

ProjectHub::ProjectHub(ProjectStore& projects, EventLog& events, ServerRequests& requests,
                       sdk::HostServices& host)
    : projects_(projects),
      events_(events),
      requests_(requests),
      host_(host),
      logger_(host.logger("appserver")),
      restarts_(host.metrics().counter("sluice_appserver_restarts_total",
                                       "App-server processes restarted after they exited", {})),
      pending_approvals_(
          host.metrics().gauge("sluice_appserver_pending_approvals",
                               "Server requests (approvals, questions) waiting for an answer", {})),
      accounted_input_(host.metrics().counter("sluice_appserver_tokens_total",
                                              "Tokens accounted to project turns",
                                              {{"kind", "input"}})),
      accounted_output_(host.metrics().counter("sluice_appserver_tokens_total",
                                               "Tokens accounted to project turns",
                                               {{"kind", "output"}})) {
    for (const char* outcome : {"completed", "interrupted", "failed"}) {
        host.metrics().counter(kTurnsMetric, "Project turns ended, by outcome",
                               {{"outcome", outcome}});
    }
}

void ProjectHub::onMessage(const std::string& owner, const json& message) {
    if (message.contains("id")) {
        onServerRequest(owner, message);
        return;
    }
    const std::string method = message.value("method", "");
    const std::string thread_id = messageThreadId(message);
    const json params = message.value("params", json::object());
    if (method == "turn/started") {
        onTurnStarted(owner, thread_id, params);
    } else if (method == "turn/completed" && params.contains("turn") &&
               params["turn"].is_object()) {
        onTurnEnded(owner, thread_id, params["turn"].value("id", ""),
                    params["turn"].value("status", "completed"));
    } else if (method == "thread/tokenUsage/updated") {
        onTokenUsage(owner, thread_id, params);
    } else if (method == "serverRequest/resolved") {
        requests_.resolved(owner, params.value("requestId", json()));
        publishPendingGauge();
    }
    events_.append(owner, thread_id, method, compact({{"method", method}, {"params", params}}));
}

void ProjectHub::onServerRequest(const std::string& owner, const json& message) {
    const PendingRequest request =
        requests_.add(randomId(host_.random(), "req_"), owner, message, host_.clock().now());
    publishPendingGauge();
    events_.append(request.owner, request.thread_id, "serverRequest",
                   compact({{"requestId", request.id},
                            {"id", request.rpc_id},
                            {"method", request.method},
                            {"params", request.params}}));
}

void ProjectHub::onTurnStarted(const std::string& owner, const std::string& thread_id,
                               const json& params) {
    const json turn = params.value("turn", json::object());
    if (!turn.is_object() || thread_id.empty()) {
        return;
    }
    const std::string turn_id = turn.value("id", "");
    {
        std::lock_guard lock(mutex_);
        running_[{owner, thread_id}] = turn_id;
    }
    if (const auto project = projects_.byThread(owner, thread_id)) {
        const auto updated = projects_.update(
            project->id, [&](sdk::ProjectRecord& record) { record.active_turn_id = turn_id; });
        if (!updated.ok()) {
            logger_.error("project_write_failed",
                          {{"project", project->id}, {"error", updated.status().message()}});
        }
    }
}

void ProjectHub::onTurnEnded(const std::string& owner, const std::string& thread_id,
                             const std::string& turn_id, const std::string& outcome) {
    {
        std::lock_guard lock(mutex_);
        const auto found = running_.find({owner, thread_id});
        if (found == running_.end() || found->second != turn_id) {
            return;  // already ended (the app-server repeats), or not one we saw start
        }
        running_.erase(found);
    }
    recordTurnEnd(owner, thread_id, outcome);
}

void ProjectHub::recordTurnEnd(const std::string& owner, const std::string& thread_id,
                               const std::string& outcome) {
    countOutcome(outcome);
    const auto project = projects_.byThread(owner, thread_id);
    if (!project) {
        return;
    }
    const auto updated = projects_.update(project->id, [&](sdk::ProjectRecord& record) {
        ++record.turns;
        record.active_turn_id.clear();
        record.updated_at = host_.clock().now();
    });
    logger_.info("turn_ended", {{"project", project->id}, {"outcome", outcome}});
    if (!updated.ok()) {
        logger_.error("project_write_failed",
                      {{"project", project->id}, {"error", updated.status().message()}});
    }
}

void ProjectHub::onTokenUsage(const std::string& owner, const std::string& thread_id,
                              const json& params) {
    const auto total = threadTotal(params);
    const auto project = projects_.byThread(owner, thread_id);
    if (!total || !project) {
        return;
    }
    sdk::ProjectTokens delta;
    const auto updated = projects_.update(project->id, [&](sdk::ProjectRecord& record) {
        delta = accountThreadTotal(record, thread_id, *total);
        if (!isZero(delta)) {
            record.updated_at = host_.clock().now();
        }
    });
    if (!updated.ok()) {
        logger_.error("project_write_failed",
                      {{"project", project->id}, {"error", updated.status().message()}});
        return;
    }
    accounted_input_.add(delta.input_tokens);
    accounted_output_.add(delta.output_tokens);
}

void ProjectHub::onExit(const std::string& owner, bool restarting) {
    if (restarting) {
        restarts_.add();
    }
    std::map<ThreadKey, std::string> lost;
    {
        std::lock_guard lock(mutex_);
        for (auto it = running_.begin(); it != running_.end();) {
            if (it->first.first == owner) {
                lost.insert(*it);
                it = running_.erase(it);
            } else {
                ++it;
            }
        }
        std::erase_if(loaded_, [&](const ThreadKey& key) { return key.first == owner; });
    }
    requests_.dropOwner(owner);
    publishPendingGauge();
    if (!shutting_down_.load()) {
        for (const auto& [key, turn_id] : lost) {
            recordTurnEnd(owner, key.second, "failed");
            publishFailedTurn(owner, key.second, turn_id, "the app-server exited during the turn");
        }
    }
    logger_.warn("appserver_exited", {{"owner", owner},
                                      {"restarting", restarting ? "yes" : "no"},
                                      {"failed_turns", std::to_string(lost.size())}});
}

void ProjectHub::publishFailedTurn(const std::string& owner, const std::string& thread_id,
                                   const std::string& turn_id, const std::string& why) {
    // Reported the way the app-server reports a turn, so clients need one code path.
    const json params{{"threadId", thread_id},
                      {"turn",
                       {{"id", turn_id},
                        {"status", "failed"},
                        {"items", json::array()},
                        {"error", {{"message", why}}}}}};
    events_.append(owner, thread_id, "turn/completed",
                   compact({{"method", "turn/completed"}, {"params", params}}));
}

void ProjectHub::failOrphanedTurns() {
    for (const auto& project : projects_.all()) {
        if (project.active_turn_id.empty()) {
            continue;
        }
        recordTurnEnd(project.owner_key, project.thread_id, "failed");
        publishFailedTurn(project.owner_key, project.thread_id, project.active_turn_id,
                          "the gateway stopped during the turn");
    }
}

void ProjectHub::shutdown() {
    shutting_down_ = true;
}

bool ProjectHub::idle(const std::string& owner) {
    if (!requests_.list(owner, {}).empty()) {
        return false;
    }
    std::lock_guard lock(mutex_);
    return std::none_of(running_.begin(), running_.end(),
                        [&](const auto& entry) { return entry.first.first == owner; });
}

bool ProjectHub::isLoaded(const std::string& owner, const std::string& thread_id) const {
    std::lock_guard lock(mutex_);
    return loaded_.count({owner, thread_id}) > 0;
}

void ProjectHub::markLoaded(const std::string& owner, const std::string& thread_id) {
    std::lock_guard lock(mutex_);
    loaded_.insert({owner, thread_id});
}

std::optional<std::string> ProjectHub::runningTurn(const std::string& owner,
                                                   const std::string& thread_id) const {
    std::lock_guard lock(mutex_);
    const auto found = running_.find({owner, thread_id});
    return found == running_.end() ? std::nullopt : std::optional(found->second);
}

void ProjectHub::countOutcome(const std::string& outcome) {
    const std::string known =
        outcome == "completed" || outcome == "interrupted" ? outcome : std::string("failed");
    host_.metrics()
        .counter(kTurnsMetric, "Project turns ended, by outcome", {{"outcome", known}})
        .add();
}

void ProjectHub::requestAnswered() {
    publishPendingGauge();
}

void ProjectHub::publishPendingGauge() {
    pending_approvals_.set(static_cast<double>(requests_.size()));
}

}  // namespace sluice::plugins::route_appserver
