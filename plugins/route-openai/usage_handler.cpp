#include "usage_handler.hpp"

#include <charconv>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

json counts(const json& bucket) {
    json out = json::object();
    for (const char* key : {"input_tokens", "cached_input_tokens", "output_tokens",
                            "reasoning_tokens", "total_tokens"}) {
        out[key] = member(bucket, key).is_number() ? bucket[key] : json(0);
    }
    out["request_count"] = member(bucket, "requests").is_number() ? bucket["requests"] : json(0);
    out["error_count"] = member(bucket, "errors").is_number() ? bucket["errors"] : json(0);
    return out;
}

}  // namespace

json usageObject(const json& key_usage) {
    json usage = counts(member(key_usage, "totals"));
    usage["object"] = "usage";
    usage["key_prefix"] = textOf(key_usage, "key_prefix");
    usage["from"] = textOf(key_usage, "from");
    usage["to"] = textOf(key_usage, "to");
    json days = json::array();
    const json& daily = member(key_usage, "days");
    for (const json& day : daily.is_array() ? daily : json::array()) {
        json entry = counts(day);
        entry["date"] = textOf(day, "date");
        days.push_back(std::move(entry));
    }
    usage["days"] = std::move(days);
    return usage;
}

void UsageHandler::get(sdk::Exchange& exchange) {
    int days = 28;
    if (const auto text = common::queryParam(exchange.query(), "days")) {
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), days);
        if (error != std::errc() || end != text->data() + text->size() || days < 1 || days > 366) {
            exchange.response().sendError(
                invalidValue("days", "'days' must be an integer from 1 to 366."));
            return;
        }
    }
    const auto usage = exchange.gateway().operate("key.usage", json{{"days", days}}.dump());
    if (!usage.ok()) {
        sdk::ErrorInfo error = upstreamError("usage_unavailable");
        error.http_status = 503;
        error.message = "usage is unavailable right now";
        exchange.response().sendError(error);
        return;
    }
    sendJson(exchange, 200, usageObject(parseJson(usage.value())));
}

}  // namespace sluice::plugins::route_openai
