#include "request_log_stream.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "sluice/plugins/common/query_string.hpp"
#include "sluice/sdk/gateway_drain.hpp"

namespace sluice::plugins::route_admin {

using json = nlohmann::json;

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);
constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr auto kLifetime = std::chrono::minutes(10);
/// The newest rows each poll reads: a row written behind more than this many newer ones (a
/// request far older than a burst of newer ones) is not streamed.
constexpr unsigned kWindow = 100;

/// What a client asked for: the request_logs.list parameters, and the filters that operation
/// has no parameter for.
struct StreamQuery {
    json list_params = json{{"limit", kWindow}};
    std::optional<std::string> account;
    std::optional<std::string> route;
    std::optional<std::string> since;

    bool admits(const json& row) const {
        return (!account || row.value("account_id", "") == *account ||
                row.value("account_label", "") == *account) &&
               (!route || row.value("route", "") == *route);
    }
};

sdk::Status invalid(const std::string& message) {
    return {sdk::StatusCode::InvalidArgument, message};
}

sdk::Result<StreamQuery> readQuery(std::string_view query) {
    StreamQuery result;
    for (auto& [name, value] : common::parseQuery(query)) {
        if (name == "pool" || name == "key") {
            result.list_params[name] = value;
        } else if (name == "status") {
            int status = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), status);
            if (error != std::errc() || end != value.data() + value.size()) {
                return invalid("status: expected an HTTP status (100-599)");
            }
            result.list_params[name] = status;
        } else if (name == "account") {
            result.account = value;
        } else if (name == "route") {
            result.route = value;
        } else if (name == "since") {
            result.since = value;
        } else {
            return invalid(name + ": unknown parameter (pool, key, account, status, route, since)");
        }
    }
    return result;
}

/// The newest rows of the request log matching the query's storage filters, newest first.
sdk::Result<json> newestRows(sdk::Exchange& exchange, const StreamQuery& query) {
    auto listed = exchange.gateway().operate("request_logs.list", query.list_params.dump());
    if (!listed.ok()) {
        return listed.status();
    }
    json rows = json::parse(listed.value(), nullptr, false);
    if (!rows.is_object() || !rows["requests"].is_array()) {
        return sdk::Status{sdk::StatusCode::Internal, "request_logs.list answered no rows"};
    }
    return std::move(rows["requests"]);
}

std::unordered_set<std::string> idsOf(const json& rows, std::size_t from = 0) {
    std::unordered_set<std::string> ids;
    for (std::size_t i = from; i < rows.size(); ++i) {
        ids.insert(rows[i].value("id", ""));
    }
    return ids;
}

/// The rows of the first poll already "seen": all of them, or those up to `since` when the
/// client resumes (all newer rows are then sent; when `since` is older than the window, all).
std::unordered_set<std::string> seenAtStart(const json& rows, const StreamQuery& query) {
    if (!query.since) {
        return idsOf(rows);
    }
    const auto at = std::find_if(rows.begin(), rows.end(), [&](const json& row) {
        return row.value("id", "") == *query.since;
    });
    return idsOf(rows, static_cast<std::size_t>(at - rows.begin()));
}

bool sendEvent(sdk::ResponseWriter& response, std::string_view event, const json& data,
               const std::string& id = "") {
    std::string block = "event: " + std::string(event) + "\n";
    if (!id.empty()) {
        block += "id: " + id + "\n";
    }
    block += "data: " + data.dump() + "\n\n";
    return response.write(block) && response.flush();
}

/// Sends the rows of `rows` (newest first) not in `seen`, oldest first, then makes `seen` the
/// window just read. False once the client is gone.
bool sendNewRows(sdk::ResponseWriter& response, const StreamQuery& query, const json& rows,
                 std::unordered_set<std::string>& seen) {
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
        const std::string id = row->value("id", "");
        if (!seen.contains(id) && query.admits(*row) && !sendEvent(response, "request", *row, id)) {
            return false;
        }
    }
    seen = idsOf(rows);
    return true;
}

bool draining(sdk::Exchange& exchange) {
    const auto* gateway = dynamic_cast<const sdk::KnowsDraining*>(&exchange.gateway());
    return gateway != nullptr && gateway->draining();
}

}  // namespace

sdk::Status serveRequestLogStream(sdk::Exchange& exchange) noexcept {
    try {
        auto query = readQuery(exchange.query());
        if (!query.ok()) {
            return query.status();
        }
        auto rows = newestRows(exchange, query.value());
        if (!rows.ok()) {
            return rows.status();
        }
        std::unordered_set<std::string> seen = seenAtStart(rows.value(), query.value());
        sdk::ResponseWriter& response = exchange.response();
        response.start(200, {{"Content-Type", "text/event-stream"},
                             {"Cache-Control", "no-store"},
                             {"X-Accel-Buffering", "no"}});
        const auto deadline = std::chrono::steady_clock::now() + kLifetime;
        auto last_heartbeat = std::chrono::steady_clock::now();
        while (sendNewRows(response, query.value(), rows.value(), seen)) {
            if (const bool drains = draining(exchange);
                drains || std::chrono::steady_clock::now() >= deadline) {
                sendEvent(response, "end", {{"reason", drains ? "draining" : "lifetime"}});
                break;
            }
            std::this_thread::sleep_for(kPollInterval);
            if (const auto now = std::chrono::steady_clock::now();
                now - last_heartbeat >= kHeartbeat) {
                if (!response.write(": keepalive\n\n")) {
                    break;
                }
                last_heartbeat = now;
            }
            rows = newestRows(exchange, query.value());
            if (!rows.ok()) {
                sendEvent(response, "error", {{"error", {{"message", rows.status().message()}}}});
                break;
            }
        }
        return sdk::Status::success();
    } catch (const std::exception&) {
        if (!exchange.response().started()) {
            return {sdk::StatusCode::Internal, "the request log stream failed"};
        }
        exchange.response().abort();
        return sdk::Status::success();
    }
}

}  // namespace sluice::plugins::route_admin
