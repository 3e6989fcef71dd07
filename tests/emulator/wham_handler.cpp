#include "tests/emulator/wham_handler.hpp"

#include <algorithm>
#include <charconv>

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/wham_fixtures.hpp"

namespace sluice::emulator {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start < path.size()) {
        auto end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        if (end > start)
            parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::optional<nlohmann::json> fixture(std::string_view name, const AccountSpec& profile) {
    return WhamFixtures::forAccount(name, profile.id);
}

std::optional<nlohmann::json> environmentById(const AccountSpec& profile, const std::string& id) {
    auto list = fixture("environments-list", profile);
    if (!list || !list->is_array())
        return std::nullopt;
    for (auto& environment : *list) {
        if (environment.value("id", "") == id)
            return environment;
    }
    return std::nullopt;
}

const std::vector<std::string> kTaskActions = {"recover", "archive", "cancel", "fork", "mark_read"};
const std::vector<std::string> kTurnActions = {
    "viewed", "cancel", "discard", "copy_git_apply", "pr", "undo_all_discards_for_siblings"};

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Task logs in the shape of seed 004 ({logs:[{key{name,type,created_at},line}]}).
nlohmann::json logsOf(const WhamTask& task) {
    return {{"logs",
             {{{"key", {{"name", "setup"}, {"type", "stdout"}, {"created_at", task.created_at}}},
               {"line", "emulated log line for " + task.id}}}}};
}

const std::vector<std::string> kTurnItemTypes = {"task_turn_event", "work_log_message", "log",
                                                 "task_title_generated"};

/// The SSE body of POST tasks/{id}/turns/{turn}/stream: one event of each item type the query
/// names (`item_type`, repeatable; all four without one), in their fixed order, each
/// {id, item_type, timestamp, payload}. An item's id does not depend on the selection.
std::string turnEvents(const WhamTask& task, const std::string& turn_id,
                       const std::vector<std::string>& selected) {
    std::string body;
    for (std::size_t n = 0; n < kTurnItemTypes.size(); ++n) {
        const std::string& type = kTurnItemTypes[n];
        if (!selected.empty() && !contains(selected, type))
            continue;
        const nlohmann::json data{{"id", turn_id + "~event" + std::to_string(n + 1)},
                                  {"item_type", type},
                                  {"timestamp", task.updated_at},
                                  {"payload", {{"task_id", task.id}, {"turn_id", turn_id}}}};
        body += "event: " + type + "\ndata: " + data.dump() + "\n\n";
    }
    return body;
}

std::optional<nlohmann::json> environmentsGet(const std::vector<std::string>& p,
                                              const AccountSpec& profile) {
    if (p.size() == 1 || (p.size() == 2 && p[1] == "recent")) {
        return fixture("environments-list", profile);
    }
    if (p.size() == 2 && p[1] == "with-creators") {
        auto one = fixture("environment-with-creator", profile);
        return one ? std::optional(nlohmann::json::array({*one})) : std::nullopt;
    }
    if (p.size() == 5 && p[1] == "by-repo") {
        // Unconnected repositories answer an empty list, not 404.
        const auto full_name = p[3] + "/" + p[4];
        auto matches = nlohmann::json::array();
        const auto list = fixture("environments-list", profile).value_or(nlohmann::json::array());
        for (const auto& environment : list) {
            const auto repos = environment.value("repo_map", nlohmann::json::object());
            for (const auto& repo : repos) {
                if (repo.is_object() && repo.value("repository_full_name", "") == full_name) {
                    matches.push_back(environment);
                    break;
                }
            }
        }
        return matches;
    }
    if (p.size() == 2)
        return environmentById(profile, p[1]);
    if (p.size() == 3 && p[2] == "with-creator-and-machine") {
        auto one = fixture("environment-with-creator", profile);
        if (one && one->value("id", "") == p[1])
            return one;
    }
    return std::nullopt;
}

constexpr std::size_t kDefaultPageSize = 20;

std::size_t pageSize(const Poco::Net::HTTPServerRequest& request) {
    const auto text = queryParameter(request, "limit");
    std::size_t limit = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), limit);
    return error == std::errc() && end == text.data() + text.size() && limit > 0 ? limit
                                                                                 : kDefaultPageSize;
}

/// tasks/list summaries (or, for the feed, {task, turn} items) of one page of the account's
/// tasks; nullopt for a cursor the account did not hand out.
std::optional<nlohmann::json> taskPage(const Poco::Net::HTTPServerRequest& request,
                                       const WhamTasks& tasks, const AccountSpec& profile,
                                       bool feed) {
    const auto cursor = queryParameter(request, "cursor");
    const auto page = tasks.page(profile.id, cursor.empty() ? std::nullopt : std::optional(cursor),
                                 pageSize(request));
    if (!page)
        return std::nullopt;
    auto items = nlohmann::json::array();
    for (const auto& task : page->tasks) {
        auto item = WhamFixtures::forTask(feed ? "tasks-response" : "tasks-list", task.id)
                        .value_or(nlohmann::json::object())["items"][0];
        auto& summary = feed ? item["task"] : item;
        summary["title"] = task.title;
        summary["created_at"] = task.created_at;
        summary["updated_at"] = task.updated_at;
        items.push_back(std::move(item));
    }
    return nlohmann::json{
        {"items", std::move(items)},
        {"cursor", page->cursor ? nlohmann::json(*page->cursor) : nlohmann::json(nullptr)}};
}

/// tasks/rate_limit: the fixture's quota less one per task the account created.
nlohmann::json taskRateLimit(const WhamTasks& tasks, const AccountSpec& profile) {
    auto limits = fixture("tasks-rate-limit", profile).value_or(nlohmann::json::object());
    const double spent = static_cast<double>(tasks.createdCount(profile.id));
    const double remaining = std::max(0.0, limits.value("remaining", 0.0) - spent);
    limits["remaining"] = remaining;
    limits["allowed"] = remaining > 0;
    limits["limit_reached"] = remaining <= 0;
    limits["user_plan_type"] = profile.plan_type;
    for (auto& window : limits["windows"])
        window["remaining"] = remaining;
    return limits;
}

/// agent-identities/jwks: one signing key named after the account (an all-zero Ed25519 key).
nlohmann::json jwks(const AccountSpec& profile) {
    return {{"keys",
             {{{"kty", "OKP"},
               {"crv", "Ed25519"},
               {"use", "sig"},
               {"alg", "EdDSA"},
               {"kid", "emulator-" + profile.id},
               {"x", std::string(43, 'A')}}}}};
}

/// The SSE body of POST environments/test: a diagnostic run that provisions and succeeds.
std::string environmentTestEvents() {
    std::string body;
    for (const char* status : {"provisioning", "running_setup", "succeeded"}) {
        body += "data: " + nlohmann::json{{"type", "status"}, {"status", status}}.dump() + "\n\n";
    }
    return body;
}

/// GET /backend-api/codex/environments and environments/{id}/repos (the Codex CLI's own
/// environment routes): the environments, and an environment's repositories.
std::optional<nlohmann::json> codexEnvironmentsGet(const std::vector<std::string>& p,
                                                   const AccountSpec& profile) {
    if (p.size() == 1)
        return fixture("environments-list", profile);
    if (p.size() != 3 || p[2] != "repos")
        return std::nullopt;
    const auto environment = environmentById(profile, p[1]);
    if (!environment)
        return std::nullopt;
    auto repos = nlohmann::json::array();
    for (const auto& repo : environment->value("repo_map", nlohmann::json::object()))
        repos.push_back(repo);
    return repos;
}

std::optional<nlohmann::json> tasksGet(const Poco::Net::HTTPServerRequest& request,
                                       const std::vector<std::string>& p, const WhamTasks& tasks,
                                       const AccountSpec& profile) {
    if (p.size() == 1)
        return taskPage(request, tasks, profile, true);
    if (p.size() == 2 && p[1] == "list")
        return taskPage(request, tasks, profile, false);
    if (p.size() == 2 && p[1] == "rate_limit")
        return taskRateLimit(tasks, profile);
    // Everything below names a task, and only the account's own tasks exist for it.
    const auto task = tasks.find(profile.id, p[1]);
    if (!task)
        return std::nullopt;
    if (p.size() == 2) {
        auto bundle = WhamFixtures::forTask("task-bundle", task->id);
        if (bundle)
            (*bundle)["task"]["title"] = task->title;
        return bundle;
    }
    if (p.size() == 3 && p[2] == "turns")
        return WhamFixtures::forTask("turn-mapping", task->id);
    if (p.size() == 3 && p[2] == "logs")
        return logsOf(*task);
    if (p.size() >= 4 && p[2] == "turns") {
        auto mapping = WhamFixtures::forTask("turn-mapping", task->id);
        if (!mapping)
            return std::nullopt;
        const auto& turns = (*mapping)["turn_mapping"];
        if (!turns.contains(p[3]))
            return std::nullopt;
        if (p.size() == 4)
            return nlohmann::json{{"turn", turns[p[3]]["turn"]}};
        if (p.size() == 5 && p[4] == "logs")
            return logsOf(*task);
        if (p.size() == 5 && p[4] == "sibling_turns") {
            return nlohmann::json{{"sibling_turns", nlohmann::json::array()}};
        }
    }
    if (p.size() >= 4 && p[2] == "speculative_turns") {
        // The best-of candidates of a task are its turns; viewing one is acknowledged.
        auto mapping = WhamFixtures::forTask("turn-mapping", task->id);
        if (!mapping || !(*mapping)["turn_mapping"].contains(p[3]))
            return std::nullopt;
        if (p.size() == 4)
            return nlohmann::json{{"turn", (*mapping)["turn_mapping"][p[3]]["turn"]}};
        if (p.size() == 5 && p[4] == "view")
            return nlohmann::json{{"success", true}};
    }
    return std::nullopt;
}

std::optional<nlohmann::json> githubGet(const std::vector<std::string>& p,
                                        const AccountSpec& profile) {
    if (p.size() == 2 && p[1] == "installations")
        return fixture("github-installations", profile);
    if (p.size() == 3 && p[1] == "installations" && p[2] == "v2") {
        return fixture("github-installations-v2", profile);
    }
    if (p.size() >= 3 && p[1] == "installations" && p[2] == "events") {
        return fixture("github-installations-events", profile);
    }
    if (p.size() == 3 && p[1] == "repositories")
        return fixture("github-repository", profile);
    if (p.size() == 4 && p[1] == "branches" && p[3] == "search") {
        return fixture("github-branches-search", profile);
    }
    return std::nullopt;
}

}  // namespace

std::optional<nlohmann::json> WhamHandler::createTask(const AccountSpec& profile,
                                                      const std::string& body) {
    // The title is what the first input item says (the CLI sends no title of its own).
    const auto request = nlohmann::json::parse(body, nullptr, false);
    std::string title = "Emulated task";
    if (request.is_object() && request.contains("input_items") &&
        request["input_items"].is_array() && !request["input_items"].empty()) {
        const auto& content = request["input_items"][0].value("content", nlohmann::json::array());
        if (content.is_array() && !content.empty() && content[0].is_object())
            title = content[0].value("text", title);
    }
    const auto task = context_.tasks.create(profile.id, title, context_.clock());
    auto bundle = WhamFixtures::forTask("task-bundle", task.id);
    if (bundle)
        (*bundle)["task"]["title"] = task.title;
    return bundle;
}

std::optional<nlohmann::json> WhamHandler::lookup(const Poco::Net::HTTPServerRequest& request,
                                                  const std::vector<std::string>& p,
                                                  const AccountSpec& profile,
                                                  const std::string& body) {
    const auto& method = request.getMethod();
    if (p.empty())
        return std::nullopt;
    const auto& area = p[0];
    if (method == "GET" && area == "agent-identities" && p.size() == 2 && p[1] == "jwks")
        return jwks(profile);
    if (surface_ == Surface::kCodex)
        return method == "GET" && area == "environments" ? codexEnvironmentsGet(p, profile)
                                                         : std::nullopt;
    if (method == "GET") {
        if (area == "rate-limit-reset-credits" && p.size() == 1)
            return nlohmann::json{{"available_count", 0}, {"credits", nlohmann::json::array()}};
        if (area == "environments")
            return environmentsGet(p, profile);
        if (area == "tasks")
            return tasksGet(request, p, context_.tasks, profile);
        if (area == "github")
            return githubGet(p, profile);
        if (area == "machines" && p.size() == 1)
            return fixture("machines", profile);
        if (area == "settings" && p.size() == 2 && p[1] == "user") {
            return context_.settings.userSettings(
                profile.id, fixture("settings-user", profile).value_or(nullptr));
        }
        if (area == "settings" && p.size() == 2 && p[1] == "code_review") {
            return fixture("settings-code-review", profile);
        }
        if (area == "settings" && p.size() == 3 && p[1] == "configs" &&
            p[2] == "user-preferences") {
            return fixture("settings-config-user-preferences", profile);
        }
        if (area == "task_suggestions" && p.size() == 3) {
            return fixture("task-suggestions-github-user-handle", profile);
        }
        return std::nullopt;
    }
    if (method == "PATCH" && area == "settings" && p.size() == 2 && p[1] == "user") {
        const auto patch = nlohmann::json::parse(body, nullptr, false);
        if (patch.is_object())
            context_.settings.patch(profile.id, patch);
        return context_.settings.userSettings(profile.id,
                                              fixture("settings-user", profile).value_or(nullptr));
    }
    if (method == "POST" && area == "feedback" && p.size() == 1)
        return nlohmann::json{{"success", true}};
    if (method == "POST" && area == "tasks") {
        if (p.size() == 1)
            return createTask(profile, body);
        if (!context_.tasks.find(profile.id, p[1]))
            return std::nullopt;
        if (p.size() == 3 && contains(kTaskActions, p[2]))
            return nlohmann::json{{"success", true}};
        if (p.size() == 5 && p[2] == "turns" && contains(kTurnActions, p[4])) {
            return nlohmann::json{{"success", true}};
        }
        return std::nullopt;
    }
    if (method == "POST" && area == "environments" && p.size() == 3 && p[2] == "reset-cache") {
        return environmentById(profile, p[1]) ? std::optional(nlohmann::json(nullptr))
                                              : std::nullopt;
    }
    return std::nullopt;
}

void WhamHandler::serve(Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto body = readBody(request.stream(), kMaxBodyBytes).value_or("");
    record.body_bytes = body.size();
    const auto parts = splitPath(suffix_);
    const auto& profile = *account->profile();
    if (request.getMethod() == "POST" && parts.size() == 5 && parts[0] == "tasks" &&
        parts[2] == "turns" && parts[4] == "stream") {
        return stream(request, response, std::move(record), profile, parts[1], parts[3]);
    }
    if (surface_ == Surface::kWham && request.getMethod() == "POST" && parts.size() == 2 &&
        parts[0] == "environments" && parts[1] == "test") {
        return sendEvents(response, std::move(record), environmentTestEvents());
    }
    if (request.getMethod() == "DELETE" && parts.size() == 2 && parts[0] == "environments" &&
        environmentById(profile, parts[1])) {
        record.status = 204;
        record.outcome = "wham";
        context_.recorder.record(std::move(record));
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.setContentLength(0);
        response.send();
        return;
    }
    const auto answer = lookup(request, parts, profile, body);
    record.status = answer ? 200 : 404;
    record.outcome = answer ? "wham" : "not_found";
    context_.recorder.record(std::move(record));
    if (!answer) {
        return sendJson(response, 404, {{"detail", "Not found"}});
    }
    sendJson(response, 200, *answer);
}

void WhamHandler::stream(const Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response, RecordedRequest record,
                         const AccountSpec& profile, const std::string& task_id,
                         const std::string& turn_id) {
    const auto task = context_.tasks.find(profile.id, task_id);
    record.status = task ? 200 : 404;
    record.outcome = task ? "wham_stream" : "not_found";
    context_.recorder.record(std::move(record));
    if (!task)
        return sendJson(response, 404, {{"detail", "Not found"}});
    writeEvents(response, turnEvents(*task, turn_id, queryParameters(request, "item_type")));
}

void WhamHandler::sendEvents(Poco::Net::HTTPServerResponse& response, RecordedRequest record,
                             const std::string& events) {
    record.status = 200;
    record.outcome = "wham_stream";
    context_.recorder.record(std::move(record));
    writeEvents(response, events);
}

void WhamHandler::writeEvents(Poco::Net::HTTPServerResponse& response, const std::string& events) {
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/event-stream; charset=utf-8");
    response.setChunkedTransferEncoding(true);
    auto& out = response.send();
    out << events;
    out.flush();
}

}  // namespace sluice::emulator
