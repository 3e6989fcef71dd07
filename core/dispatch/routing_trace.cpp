#include "core/dispatch/routing_trace.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::dispatch {

// Built by assignment into place: nested initializer lists copy every value they hold, which
// made this one of the request-log writer's largest costs per row. Members print in key order.
std::string RoutingTrace::toJson() const {
    using json = nlohmann::json;
    json document = json::object();
    json& excluded_json = document["excluded"] = json::array();
    for (const auto& exclusion : excluded) {
        json& item = excluded_json.emplace_back(json::object());
        item["account"] = exclusion.label;
        item["reason"] = exclusion.reason;
    }
    document["order"] = order;
    json& attempts_json = document["attempts"] = json::array();
    for (const auto& attempt : attempts) {
        json& item = attempts_json.emplace_back(json::object());
        item["account"] = attempt.account_label;
        item["end"] = attempt.end;
        item["reason"] = attempt.reason;
        item["upstream_status"] = attempt.upstream_status;
        item["latency_us"] = attempt.latency_us;
    }
    document["pinned"] = pinned;
    if (!affinity_account.empty()) {
        document["affinity_account"] = affinity_account;
    }
    return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace sluice::core::dispatch
