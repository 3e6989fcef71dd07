#include "pool_views.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

const json& member(const json& object, const char* key) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

bool flag(const json& object, const char* key) {
    const json& value = member(object, key);
    return value.is_boolean() && value.get<bool>();
}

double number(const json& object, const char* key, double otherwise) {
    const json& value = member(object, key);
    return value.is_number() ? value.get<double>() : otherwise;
}

// Whether `a` tells the client more truthfully than `b` whether its next task can start.
bool moreAvailable(const json& a, const json& b) {
    if (flag(a, "allowed") != flag(b, "allowed")) {
        return flag(a, "allowed");
    }
    if (flag(a, "allowed")) {
        return number(a, "remaining", 0) > number(b, "remaining", 0);
    }
    return number(a, "resets_after", 1e300) < number(b, "resets_after", 1e300);
}

}  // namespace

json taskRateLimitPayload(const std::vector<json>& per_account) {
    const json* best = &per_account.front();
    bool allowed = false;
    bool every_reached = true;
    for (const json& quota : per_account) {
        best = moreAvailable(quota, *best) ? &quota : best;
        allowed = allowed || flag(quota, "allowed");
        every_reached = every_reached && (flag(quota, "limit_reached") || !flag(quota, "allowed"));
    }
    json payload = *best;
    payload["allowed"] = allowed;
    payload["limit_reached"] = every_reached;
    return payload;
}

json usagePayload(const json& pool_usage) {
    const json& limits = member(pool_usage, "rate_limit");
    json rate_limit{
        {"allowed", member(limits, "allowed").is_boolean() && limits["allowed"].get<bool>()},
        {"limit_reached",
         !member(limits, "limit_reached").is_boolean() || limits["limit_reached"].get<bool>()}};
    for (const char* window : {"primary_window", "secondary_window"}) {
        rate_limit[window] = member(limits, window).is_object() ? limits[window] : json(nullptr);
    }
    const json& plan = member(pool_usage, "plan_type");
    json payload{{"plan_type", plan.is_string() ? plan : json("unknown")},
                 {"rate_limit", std::move(rate_limit)}};
    if (const json& credits = member(pool_usage, "credits"); credits.is_object()) {
        payload["credits"] = credits;
    }
    return payload;
}

json accountsCheckPayload(const std::string& account_id, const std::string& plan_type) {
    const json entry{{"id", account_id},         {"account_id", account_id},
                     {"plan_type", plan_type},   {"name", "Sluice pool"},
                     {"structure", "workspace"}, {"account_routing_override", "NO_CONSTRAINT"}};
    return {{"accounts", json::array({entry})},
            {"account_ordering", json::array({account_id})},
            {"default_account_id", account_id}};
}

}  // namespace sluice::plugins::route_backend
