#include "core/server/request_gateway.hpp"

#include "core/accounting/booked_turns.hpp"
#include "core/admission/request_admission.hpp"
#include "core/server/http_exchange.hpp"
#include "sluice/sdk/upstream_path.hpp"

namespace sluice::core::server {

namespace {

const sdk::ErrorInfo kInternalFailure{
    500, "server_error", "internal_error", "the gateway failed to dispatch the request", "", 0, ""};

// The last guard against request splitting: a target with a space, a control or a stray '%'
// would let client bytes end the request line and add headers signed with an account's token.
const sdk::ErrorInfo kUnsafeTarget{
    400,
    "invalid_request_error",
    "invalid_path",
    "the request names a path or query the upstream request line cannot carry",
    "",
    0,
    ""};

}  // namespace

sdk::DispatchOutcome RequestGateway::refuse(std::string_view model, sdk::ErrorInfo error) {
    ledger_.refused(model, error);
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = std::move(error);
    return outcome;
}

sdk::DispatchOutcome RequestGateway::dispatch(const sdk::DispatchRequest& request,
                                              sdk::DispatchSink& sink) noexcept {
    if (!sdk::isSafeRequestTarget(request.path)) {
        return refuse({}, kUnsafeTarget);
    }
    try {
        auto admission =
            admission::admitRequest(context_.admission, caller_, request, !request_counted_);
        request_counted_ = true;
        if (auto* refusal = std::get_if<sdk::ErrorInfo>(&admission)) {
            return refuse(request.model, std::move(*refusal));
        }
        auto& admitted = std::get<admission::AdmittedRequest>(admission);
        sdk::DispatchOutcome outcome;
        dispatch::PoolQuotaSink shown(sink, context_.quota, caller_);
        if (admitted.body) {
            sdk::DispatchRequest fitted = request;
            fitted.body = *admitted.body;
            fitted.model = admitted.model;
            outcome = context_.dispatcher.dispatch(caller_, fitted, shown, ledger_.trace());
        } else {
            outcome = context_.dispatcher.dispatch(caller_, request, shown, ledger_.trace());
        }
        if (outcome.upstream.status > 0) {
            if (const auto view = context_.quota.viewFor(caller_)) {
                dispatch::QuotaPresenter::present(outcome.upstream.headers, *view);
            }
        }
        ledger_.charge(std::move(admitted.ticket), outcome);
        return outcome;
    } catch (const std::exception&) {
        return refuse({}, kInternalFailure);
    }
}

sdk::DispatchOutcome RequestGateway::relayWebSocket(const sdk::DispatchRequest& request,
                                                    sdk::Exchange& exchange) noexcept {
    if (!sdk::isSafeRequestTarget(request.path)) {
        return refuse({}, kUnsafeTarget);
    }
    try {
        auto admission =
            admission::admitRequest(context_.admission, caller_, request, !request_counted_);
        request_counted_ = true;
        if (auto* refusal = std::get_if<sdk::ErrorInfo>(&admission)) {
            return refuse({}, std::move(*refusal));
        }
        auto& admitted = std::get<admission::AdmittedRequest>(admission);
        admission::WebSocketTurns admitted_turns(context_.admission, caller_, admitted.policy);
        accounting::BookedTurns turns(admitted_turns, ledger_, request.session_key);
        ledger_.chargeByTurns();
        // The exchange is always the host's own; the websocket takes over its connection.
        auto& http = dynamic_cast<HttpExchange&>(exchange);
        return context_.websockets.relay(caller_, request, http, ledger_.trace(), turns);
    } catch (const std::exception&) {
        return refuse({}, kInternalFailure);
    }
}

std::optional<std::string> RequestGateway::fileOwner(std::string_view file_id) noexcept {
    return context_.file_owners.owner(caller_.pool, file_id, context_.clock.now());
}

sdk::Result<std::string> RequestGateway::operate(std::string_view operation,
                                                 std::string_view params_json) noexcept {
    return context_.operations.run(operation, params_json, caller_);
}

}  // namespace sluice::core::server
