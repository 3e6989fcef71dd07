#include "tests/emulator/wham_handler.hpp"

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

std::optional<nlohmann::json> tasksGet(const std::vector<std::string>& p,
                                       const AccountSpec& profile) {
    if (p.size() == 1)
        return fixture("tasks-response", profile);
    if (p.size() == 2 && p[1] == "list")
        return fixture("tasks-list", profile);
    if (p.size() == 2 && p[1] == "rate_limit") {
        auto limits = fixture("tasks-rate-limit", profile);
        if (limits)
            (*limits)["user_plan_type"] = profile.plan_type;
        return limits;
    }
    // Everything below names a task, and only the account's own task exists for it.
    if (p[1] != WhamFixtures::taskIdFor(profile.id))
        return std::nullopt;
    if (p.size() == 2)
        return fixture("task-bundle", profile);
    if (p.size() == 3 && p[2] == "turns")
        return fixture("turn-mapping", profile);
    if (p.size() == 3 && p[2] == "logs")
        return nlohmann::json{{"logs", nlohmann::json::array()}};
    if (p.size() >= 4 && p[2] == "turns") {
        auto mapping = fixture("turn-mapping", profile);
        if (!mapping)
            return std::nullopt;
        const auto& turns = (*mapping)["turn_mapping"];
        if (!turns.contains(p[3]))
            return std::nullopt;
        if (p.size() == 4)
            return nlohmann::json{{"turn", turns[p[3]]["turn"]}};
        if (p.size() == 5 && p[4] == "logs")
            return nlohmann::json{{"logs", nlohmann::json::array()}};
        if (p.size() == 5 && p[4] == "sibling_turns") {
            return nlohmann::json{{"sibling_turns", nlohmann::json::array()}};
        }
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

std::optional<nlohmann::json> WhamHandler::lookup(const std::string& method,
                                                  const std::vector<std::string>& p,
                                                  const AccountSpec& profile,
                                                  const std::string& body) {
    if (p.empty())
        return std::nullopt;
    const auto& area = p[0];
    if (method == "GET") {
        if (area == "environments")
            return environmentsGet(p, profile);
        if (area == "tasks")
            return tasksGet(p, profile);
        if (area == "github")
            return githubGet(p, profile);
        if (area == "machines" && p.size() == 1)
            return fixture("machines", profile);
        if (area == "settings" && p.size() == 2 && p[1] == "user") {
            return fixture("settings-user", profile);
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
        auto settings = fixture("settings-user", profile);
        const auto patch = nlohmann::json::parse(body, nullptr, false);
        if (settings && patch.is_object())
            settings->merge_patch(patch);
        return settings;
    }
    if (method == "POST" && area == "tasks") {
        if (p.size() == 1)
            return fixture("task-bundle", profile);  // create: the new task
        if (p[1] != WhamFixtures::taskIdFor(profile.id))
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
    const auto answer = lookup(request.getMethod(), splitPath(suffix_), *account->profile(), body);
    record.status = answer ? 200 : 404;
    record.outcome = answer ? "wham" : "not_found";
    context_.recorder.record(std::move(record));
    if (!answer) {
        return sendJson(response, 404, {{"detail", "Not found"}});
    }
    sendJson(response, 200, *answer);
}

}  // namespace sluice::emulator
