#include "wham_lists.hpp"

#include <charconv>
#include <set>

#include "backend_routes.hpp"
#include "pool_views.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/plugins/common/requests.hpp"
#include "task_merge.hpp"
#include "upstream_calls.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

// Bounds the upstream calls one page may cost per account.
constexpr int kMaxPagesPerAccount = 8;

std::string idOf(const json& item) {
    if (!item.is_object()) {
        return {};
    }
    const json& holder = item.contains("task") && item["task"].is_object() ? item["task"] : item;
    return holder.contains("id") && holder["id"].is_string() ? holder["id"].get<std::string>()
                                                             : std::string();
}

sdk::DispatchRequest pinnedGet(const std::string& path, const std::string& account) {
    sdk::DispatchRequest request;
    request.method = "GET";
    request.path = path;
    request.route_class = sdk::RouteClass::ProxyHttp;
    request.pinned_account = account;
    request.pin_reason = "wham_owner";
    request.allow_failover = false;
    return request;
}

// One page of one account's list: the client's query without the parameters the merge owns.
std::string pagePath(const sdk::UpstreamPath& base, std::string_view client_query,
                     std::size_t limit, const std::string& cursor) {
    sdk::UpstreamPath path = base;
    path.param("limit", std::to_string(limit));
    for (const auto& [name, value] : common::parseQuery(client_query)) {
        if (name != "limit" && name != "cursor") {
            path.param(name, value);
        }
    }
    if (!cursor.empty()) {
        path.param("cursor", cursor);
    }
    return std::move(path).str();
}

// One account's answer could not be part of the list: its upstream error when it sent one, else
// a typed 502.
void answerAccountFailure(sdk::Exchange& exchange, sdk::RouteFamily& family,
                          const Collected& fetched) {
    if (!fetched.ok()) {
        answerCollected(exchange, family, fetched);
        return;
    }
    family.sendError(exchange, {502, "server_error", "upstream_invalid_list",
                                "an account answered something that is not a list", "", 0, ""});
}

}  // namespace

void WhamLists::tasks(sdk::Exchange& exchange) {
    const std::string& pool = exchange.principal().pool;
    int limit = context_.config.default_page_size;
    if (const auto text = common::queryParam(exchange.query(), "limit")) {
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (error != std::errc() || end != text->data() + text->size() || limit < 1) {
            family_.sendError(
                exchange, common::invalidRequest("'limit' must be a positive integer", "limit"));
            return;
        }
        limit = std::min(limit, context_.config.max_page_size);
    }
    std::vector<AccountPosition> positions;
    if (const auto cursor = common::queryParam(exchange.query(), "cursor");
        cursor && !cursor->empty()) {
        auto decoded = decodeCursor(*cursor);
        if (!decoded) {
            family_.sendError(
                exchange,
                common::invalidRequest("'cursor' is not a cursor this gateway issued", "cursor"));
            return;
        }
        positions = std::move(*decoded);
    } else {
        const auto environment = common::queryParam(exchange.query(), "environment_id");
        const auto owner =
            environment ? context_.environments.owner(pool, *environment) : std::nullopt;
        for (const std::string& account :
             owner ? std::vector{*owner} : eligibleAccounts(exchange.gateway())) {
            positions.push_back({account, "", 0});
        }
        if (positions.empty()) {
            family_.sendError(exchange, {503, "server_error", "no_eligible_account",
                                         "no account of this pool can serve right now", "", 0, ""});
            return;
        }
    }

    const sdk::UpstreamPath base = upstreamPathOf(context_.config, exchange.path());
    std::vector<AccountRun> runs;
    for (const AccountPosition& position : positions) {
        AccountRun run{position.account, {}, position.cursor};
        std::size_t skip = position.skip;
        for (int page = 0;
             page < kMaxPagesPerAccount && run.items.size() < static_cast<std::size_t>(limit);
             ++page) {
            const std::string cursor = run.next_cursor;
            const std::string path =
                pagePath(base, exchange.query(), skip + static_cast<std::size_t>(limit), cursor);
            const Collected fetched =
                collect(exchange.gateway(), pinnedGet(path, position.account));
            const json answer = fetched.json();
            if (!fetched.ok() || !answer.is_object() || !answer.contains("items") ||
                !answer["items"].is_array()) {
                // A page without one account's items would lose them: fail the whole page.
                context_.logger.warn("task_list_account_failed",
                                     {{"status", std::to_string(fetched.status)}});
                answerAccountFailure(exchange, family_, fetched);
                return;
            }
            const json& items = answer["items"];
            for (std::size_t i = skip; i < items.size(); ++i) {
                context_.tasks.remember(pool, idOf(items[i]), position.account);
                run.items.push_back({items[i], cursor, i});
            }
            const auto next = answer.find("cursor");
            run.next_cursor = next != answer.end() && next->is_string() && !items.empty()
                                  ? next->get<std::string>()
                                  : "";
            skip = 0;
            if (run.next_cursor.empty()) {
                break;
            }
        }
        runs.push_back(std::move(run));
    }
    MergedPage page = mergeRuns(runs, static_cast<std::size_t>(limit));
    const std::string next = encodeCursor(page.next);
    const json reply{{"items", std::move(page.items)},
                     {"cursor", next.empty() ? json(nullptr) : json(next)}};
    exchange.response().send(200, {{"Content-Type", "application/json"}}, reply.dump());
}

void WhamLists::environments(sdk::Exchange& exchange) {
    const std::string& pool = exchange.principal().pool;
    const std::string path =
        upstreamPathOf(context_.config, exchange.path()).rawQuery(exchange.query()).str();
    json merged = json::array();
    std::set<std::string> seen;
    for (const std::string& account : eligibleAccounts(exchange.gateway())) {
        const Collected fetched = collect(exchange.gateway(), pinnedGet(path, account));
        const json answer = fetched.json();
        if (!fetched.ok() || !answer.is_array()) {
            context_.logger.warn("environment_list_account_failed",
                                 {{"status", std::to_string(fetched.status)}});
            answerAccountFailure(exchange, family_, fetched);
            return;
        }
        for (const json& environment : answer) {
            const std::string id = idOf(environment);
            if (!id.empty() && !seen.insert(id).second) {
                continue;
            }
            context_.environments.remember(pool, id, account);
            merged.push_back(environment);
        }
    }
    exchange.response().send(200, {{"Content-Type", "application/json"}}, merged.dump());
}

void WhamLists::taskRateLimit(sdk::Exchange& exchange) {
    const std::string path = upstreamPathOf(context_.config, exchange.path()).str();
    std::vector<json> quotas;
    for (const std::string& account : eligibleAccounts(exchange.gateway())) {
        const Collected fetched = collect(exchange.gateway(), pinnedGet(path, account));
        const json answer = fetched.json();
        if (!fetched.ok() || !answer.is_object()) {
            // A view without one account would misstate the pool: fail it whole, as lists do.
            context_.logger.warn("task_rate_limit_account_failed",
                                 {{"status", std::to_string(fetched.status)}});
            answerAccountFailure(exchange, family_, fetched);
            return;
        }
        quotas.push_back(answer);
    }
    if (quotas.empty()) {
        family_.sendError(exchange, {503, "server_error", "no_eligible_account",
                                     "no account of this pool can serve right now", "", 0, ""});
        return;
    }
    exchange.response().send(200, {{"Content-Type", "application/json"}},
                             taskRateLimitPayload(quotas).dump());
}

}  // namespace sluice::plugins::route_backend
