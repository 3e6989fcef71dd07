#include "core/dispatch/routing_trace.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::dispatch {

std::string RoutingTrace::toJson() const {
    nlohmann::json excluded_json = nlohmann::json::array();
    for (const auto& exclusion : excluded) {
        excluded_json.push_back({{"account", exclusion.label}, {"reason", exclusion.reason}});
    }
    nlohmann::json attempts_json = nlohmann::json::array();
    for (const auto& attempt : attempts) {
        attempts_json.push_back({{"account", attempt.account_label},
                                 {"end", attempt.end},
                                 {"reason", attempt.reason},
                                 {"upstream_status", attempt.upstream_status},
                                 {"latency_us", attempt.latency_us}});
    }
    nlohmann::json document{{"excluded", excluded_json},
                            {"order", order},
                            {"attempts", attempts_json},
                            {"pinned", pinned}};
    if (!affinity_account.empty()) {
        document["affinity_account"] = affinity_account;
    }
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sluice::core::dispatch
