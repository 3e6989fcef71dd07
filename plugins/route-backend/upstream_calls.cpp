#include "upstream_calls.hpp"

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_backend {

bool Collected::ok() const noexcept {
    return outcome.status == sdk::DispatchStatus::Completed && status / 100 == 2;
}

nlohmann::json Collected::json() const {
    return common::parseJson(body);
}

Collected collect(sdk::Gateway& gateway, const sdk::DispatchRequest& request) {
    common::CollectingSink sink;
    Collected collected;
    collected.outcome = gateway.dispatch(request, sink);
    collected.status = sink.head().status;
    collected.headers = sink.head().headers;
    collected.body = sink.body();
    return collected;
}

void answerCollected(sdk::Exchange& exchange, sdk::RouteFamily& family,
                     const Collected& collected) {
    switch (collected.outcome.status) {
        case sdk::DispatchStatus::Rejected:
            common::answerRejected(exchange, family, collected.outcome, true);
            return;
        case sdk::DispatchStatus::Completed:
            exchange.response().send(collected.status, collected.headers, collected.body);
            return;
        case sdk::DispatchStatus::Interrupted:
            family.sendError(exchange, {502, "server_error", "upstream_interrupted",
                                        "the upstream answer broke off", "", 0, ""});
            return;
        case sdk::DispatchStatus::ClientGone:
            return;
    }
}

sdk::DispatchOutcome relay(sdk::Exchange& exchange, sdk::RouteFamily& family,
                           const sdk::DispatchRequest& request) {
    common::BodyRelaySink sink(exchange.response());
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        common::answerRejected(exchange, family, outcome, true);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
        exchange.response().abort();
    }
    return outcome;
}

std::vector<std::string> eligibleAccounts(sdk::Gateway& gateway) {
    std::vector<std::string> ids;
    const auto listed = gateway.operate("pool.accounts", "{}");
    if (!listed.ok()) {
        return ids;
    }
    const auto pool = common::parseJson(listed.value());
    if (!pool.is_object() || !pool.contains("accounts") || !pool["accounts"].is_array()) {
        return ids;
    }
    for (const auto& account : pool["accounts"]) {
        if (account.is_object() && account.value("eligible", false) && account.contains("id") &&
            account["id"].is_string()) {
            ids.push_back(account["id"].get<std::string>());
        }
    }
    return ids;
}

}  // namespace sluice::plugins::route_backend
