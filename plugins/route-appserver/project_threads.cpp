// ProjectService, the thread side: open (resume or start), turns, interrupt and approvals.

#include "project_service.hpp"
#include "token_ledger.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

std::variant<sdk::ProjectRecord, sdk::ErrorInfo> ProjectService::ensureThread(
    const std::string& owner, sdk::ProjectRecord project, const TurnOptions& options, json& raw) {
    if (!project.thread_id.empty() && hub_.isLoaded(owner, project.thread_id)) {
        return project;
    }
    Reply listed = call(owner, "thread/list",
                        {{"cwd", project.workspace},
                         {"limit", 1},
                         {"sortKey", "updated_at"},
                         {"sortDirection", "desc"}});
    if (auto* error = std::get_if<sdk::ErrorInfo>(&listed)) {
        return *error;
    }
    std::string latest = project.thread_id;
    const json data = std::get<json>(listed).value("data", json::array());
    if (data.is_array() && !data.empty() && data[0].is_object()) {
        latest = data[0].value("id", latest);
    }
    Reply opened = sdk::ErrorInfo{};
    if (!latest.empty()) {
        json params = threadParams(options, project.workspace);
        params["threadId"] = latest;
        opened = call(owner, "thread/resume", std::move(params));
        raw["resume"] = std::holds_alternative<json>(opened) ? std::get<json>(opened) : json();
    }
    if (latest.empty() || isError(opened)) {
        opened = call(owner, "thread/start", threadParams(options, project.workspace));
        if (auto* error = std::get_if<sdk::ErrorInfo>(&opened)) {
            return *error;
        }
        raw["start"] = std::get<json>(opened);
    }
    const json thread = std::get<json>(opened).value("thread", json::object());
    const std::string thread_id = thread.is_object() ? thread.value("id", "") : "";
    if (thread_id.empty()) {
        return unavailable("the app-server answered without a thread id", "appserver_error");
    }
    hub_.markLoaded(owner, thread_id);
    auto updated = projects_.update(project.id, [&](sdk::ProjectRecord& record) {
        adoptThread(record, thread_id);
        record.updated_at = host_.clock().now();
    });
    if (!updated.ok()) {
        return unavailable("cannot store the project's thread", "storage_failed");
    }
    return std::move(updated).value();
}

std::variant<ProjectService::Prepared, sdk::ErrorInfo> ProjectService::prepare(
    const std::string& owner, const std::string& id, const json& body, bool input_required) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    auto options = parseTurnOptions(body, config_.defaults, config_.allow_full_access);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&options)) {
        return *error;
    }
    auto input = turnInput(body, input_required);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&input)) {
        return *error;
    }
    Prepared prepared{{}, std::get<TurnOptions>(options), std::get<json>(input), json::object()};
    auto opened =
        ensureThread(owner, std::get<sdk::ProjectRecord>(project), prepared.options, prepared.raw);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&opened)) {
        return *error;
    }
    prepared.project = std::get<sdk::ProjectRecord>(opened);
    return prepared;
}

Reply ProjectService::open(const std::string& owner, const std::string& id, const json& body) {
    auto prepared = prepare(owner, id, body, false);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&prepared)) {
        return *error;
    }
    const Prepared& ready = std::get<Prepared>(prepared);
    const sdk::ProjectRecord& record = ready.project;
    const TurnOptions& options = ready.options;
    const json& input = ready.input;
    const json& raw = ready.raw;
    json answer{{"threadId", record.thread_id},
                {"turnId", json()},
                {"project", projectJson(record)},
                {"resumed", raw.contains("resume") && !raw.contains("start")},
                {"thread", raw.contains("start") ? raw["start"] : raw.value("resume", json())}};
    if (answer["thread"].is_null()) {
        Reply read = call(owner, "thread/read", {{"threadId", record.thread_id}});
        answer["resumed"] = true;
        answer["thread"] = std::holds_alternative<json>(read) ? std::get<json>(read) : json();
    }
    if (input.is_null()) {
        return answer;
    }
    Reply turn = runTurn(owner, record, options, input);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&turn)) {
        return *error;
    }
    answer["turnId"] = std::get<json>(turn)["turnId"];
    answer["turn"] = std::get<json>(turn)["turn"];
    return answer;
}

Reply ProjectService::runTurn(const std::string& owner, const sdk::ProjectRecord& project,
                              const TurnOptions& options, json input) {
    Reply started =
        call(owner, "turn/start",
             turnParams(options, project.thread_id, project.workspace, std::move(input)));
    if (auto* error = std::get_if<sdk::ErrorInfo>(&started)) {
        return *error;
    }
    const json& result = std::get<json>(started);
    const json turn = result.value("turn", json::object());
    return json{{"threadId", project.thread_id},
                {"turnId", turn.is_object() ? turn.value("id", json()) : json()},
                {"turn", result}};
}

Reply ProjectService::startTurn(const std::string& owner, const std::string& id, const json& body) {
    auto prepared = prepare(owner, id, body, true);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&prepared)) {
        return *error;
    }
    const Prepared& ready = std::get<Prepared>(prepared);
    return runTurn(owner, ready.project, ready.options, ready.input);
}

Reply ProjectService::interrupt(const std::string& owner, const std::string& id,
                                const std::string& turn_id) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    if (record.thread_id.empty()) {
        return notFound("the project has no thread yet", "no_thread");
    }
    auto server = servers_.forOwner(owner);
    if (!server.ok()) {
        return serverRefused(server.status());
    }
    CallOutcome outcome = server.value()->call(
        "turn/interrupt", {{"threadId", record.thread_id}, {"turnId", turn_id}});
    if (outcome.failure == CallFailure::Remote) {
        return sdk::ErrorInfo{409,
                              "invalid_request_error",
                              "no_active_turn",
                              "the turn cannot be interrupted: " + outcome.message,
                              "turn_id",
                              0,
                              {}};
    }
    if (!outcome.ok()) {
        return callError(outcome);
    }
    return json{{"threadId", record.thread_id}, {"turnId", turn_id}, {"interrupted", true}};
}

Reply ProjectService::approvals(const std::string& owner, const std::string& id) const {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    json data = json::array();
    if (!record.thread_id.empty()) {
        for (const auto& request : requests_.list(owner, record.thread_id)) {
            data.push_back(request.toJson());
        }
    }
    return json{{"threadId", record.thread_id.empty() ? json() : json(record.thread_id)},
                {"data", std::move(data)}};
}

Reply ProjectService::resolve(const std::string& owner, const std::string& id,
                              const std::string& request_id, const json& body) {
    auto project = owned(owner, id);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&project)) {
        return *error;
    }
    const auto& record = std::get<sdk::ProjectRecord>(project);
    auto request = requests_.take(request_id);
    if (request && (request->owner != owner || request->thread_id != record.thread_id)) {
        requests_.restore(std::move(*request));
        request.reset();
    }
    if (!request) {
        return notFound("no pending request '" + request_id + "' on this project",
                        "request_not_found");
    }
    return deliverAnswer(std::move(*request), body);
}

Reply ProjectService::deliverAnswer(PendingRequest request, const json& body) {
    json result = body.empty() ? json{{"decision", "accept"}} : body;
    AppServer* server = servers_.find(request.owner);
    if (server == nullptr || !server->respond(request.rpc_id, result)) {
        requests_.restore(std::move(request));
        return unavailable("the app-server that asked is not running", "appserver_restarted");
    }
    hub_.requestAnswered();
    return json{{"requestId", request.id}, {"resolved", true}, {"result", std::move(result)}};
}

}  // namespace sluice::plugins::route_appserver
