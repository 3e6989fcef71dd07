#include "upstream_calls.hpp"

#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_backend {

bool Collected::ok() const noexcept {
    return outcome.status == sdk::DispatchStatus::Completed && status / 100 == 2;
}

nlohmann::json Collected::json() const { return nlohmann::json::parse(body, nullptr, false); }

Collected collect(sdk::Gateway& gateway, const sdk::DispatchRequest& request) {
    common::CollectingSink sink;
    Collected collected;
    collected.outcome = gateway.dispatch(request, sink);
    collected.status = sink.head().status;
    collected.headers = sink.head().headers;
    collected.body = sink.body();
    return collected;
}

void answerCollected(sdk::Exchange& exchange, sdk::RouteFamily& family, const Collected& collected) {
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
    const auto pool = nlohmann::json::parse(listed.value(), nullptr, false);
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

std::string percentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

}  // namespace sluice::plugins::route_backend
