#include "sluice/plugins/common/requests.hpp"

#include <array>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::common {

namespace {

constexpr std::array<std::string_view, 8> kSessionHeaders{
    "session-id", "session_id",        "x-codex-session-id", "x-session-id",
    "thread-id",  "x-codex-window-id", "x-session-affinity", "x-codex-conversation-id"};

}  // namespace

sdk::ErrorInfo invalidRequest(std::string message, std::string param) {
    return {
        400, "invalid_request_error", "invalid_request", std::move(message), std::move(param), 0,
        ""};
}

std::optional<nlohmann::json> readJsonObject(sdk::Exchange& exchange, sdk::RouteFamily& family) {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;
    }
    nlohmann::json document = common::parseJson(*body);
    if (document.is_discarded() || !document.is_object()) {
        family.sendError(exchange,
                         invalidRequest("the request body must be a JSON object nested at most " +
                                        std::to_string(sdk::kMaxJsonDepth) + " levels"));
        return std::nullopt;
    }
    return document;
}

std::string sessionKey(const sdk::Exchange& exchange) {
    for (const std::string_view name : kSessionHeaders) {
        if (const auto value = exchange.header(name); value && !value->empty()) {
            std::string key(*value);
            // "<thread>:<window>": the window number changes after a compaction, the thread does
            // not.
            if (name == "x-codex-window-id") {
                key = key.substr(0, key.rfind(':'));
            }
            return key;
        }
    }
    return {};
}

sdk::Headers forwardable(const sdk::Exchange& exchange, const std::vector<std::string>& allowed) {
    sdk::Headers out;
    for (const sdk::Header& header : exchange.headers()) {
        for (const std::string& name : allowed) {
            if (sdk::equalsIgnoreCase(header.name, name)) {
                out.push_back(header);
                break;
            }
        }
    }
    return out;
}

void answerRejected(sdk::Exchange& exchange, sdk::RouteFamily& family,
                    const sdk::DispatchOutcome& outcome, bool pass_through) {
    if (pass_through && outcome.upstream.status > 0) {
        sdk::Headers headers;
        for (const auto& header : outcome.upstream.headers) {
            if (sdk::equalsIgnoreCase(header.name, "content-type") ||
                header.name.rfind("x-codex-", 0) == 0) {
                headers.push_back(header);
            }
        }
        if (outcome.error.retry_after_seconds > 0) {
            headers.push_back({"Retry-After", std::to_string(outcome.error.retry_after_seconds)});
        }
        exchange.response().send(outcome.upstream.status, headers, outcome.upstream.body);
        return;
    }
    family.sendError(exchange, outcome.error);
}

}  // namespace sluice::plugins::common
