#include "core/server/request_gateway.hpp"

#include "core/admission/request_admission.hpp"
#include "core/server/http_exchange.hpp"
#include "sluice/sdk/upstream_path.hpp"

namespace sluice::core::server {

namespace {

sdk::DispatchOutcome rejected(dispatch::RoutingTrace& trace, sdk::ErrorInfo error) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    trace.error_code = error.code;
    outcome.error = std::move(error);
    return outcome;
}

sdk::DispatchOutcome internalFailure(dispatch::RoutingTrace& trace) {
    return rejected(trace, {500, "server_error", "internal_error",
                            "the gateway failed to dispatch the request", "", 0, ""});
}

// The last guard against request splitting: a target with a space, a control or a stray '%'
// would let client bytes end the request line and add headers signed with an account's token.
sdk::DispatchOutcome unsafeTarget(dispatch::RoutingTrace& trace) {
    return rejected(
        trace,
        {400, "invalid_request_error", "invalid_path",
         "the request names a path or query the upstream request line cannot carry", "", 0, ""});
}

}  // namespace

sdk::DispatchOutcome RequestGateway::dispatch(const sdk::DispatchRequest& request,
                                              sdk::DispatchSink& sink) noexcept {
    if (!sdk::isSafeRequestTarget(request.path)) {
        return unsafeTarget(trace_);
    }
    try {
        auto admission =
            admission::admitRequest(context_.admission, caller_, request, !request_counted_);
        request_counted_ = true;
        if (auto* refusal = std::get_if<sdk::ErrorInfo>(&admission)) {
            trace_.model = request.model;
            return rejected(trace_, std::move(*refusal));
        }
        auto& admitted = std::get<admission::AdmittedRequest>(admission);
        sdk::DispatchOutcome outcome;
        dispatch::PoolQuotaSink shown(sink, context_.quota, caller_);
        if (admitted.body) {
            sdk::DispatchRequest fitted = request;
            fitted.body = *admitted.body;
            fitted.model = admitted.model;
            outcome = context_.dispatcher.dispatch(caller_, fitted, shown, trace_);
        } else {
            outcome = context_.dispatcher.dispatch(caller_, request, shown, trace_);
        }
        if (outcome.upstream.status > 0) {
            if (const auto view = context_.quota.viewFor(caller_)) {
                dispatch::QuotaPresenter::present(outcome.upstream.headers, *view);
            }
        }
        admitted.ticket.settle(outcome.usage);
        return outcome;
    } catch (const std::exception&) {
        return internalFailure(trace_);
    }
}

sdk::DispatchOutcome RequestGateway::relayWebSocket(const sdk::DispatchRequest& request,
                                                    sdk::Exchange& exchange) noexcept {
    if (!sdk::isSafeRequestTarget(request.path)) {
        return unsafeTarget(trace_);
    }
    try {
        auto admission =
            admission::admitRequest(context_.admission, caller_, request, !request_counted_);
        request_counted_ = true;
        if (auto* refusal = std::get_if<sdk::ErrorInfo>(&admission)) {
            return rejected(trace_, std::move(*refusal));
        }
        auto& admitted = std::get<admission::AdmittedRequest>(admission);
        admission::WebSocketTurns turns(context_.admission, caller_, admitted.policy);
        // The exchange is always the host's own; the websocket takes over its connection.
        auto& http = dynamic_cast<HttpExchange&>(exchange);
        return context_.websockets.relay(caller_, request, http, trace_, turns);
    } catch (const std::exception&) {
        return internalFailure(trace_);
    }
}

sdk::Result<std::string> RequestGateway::operate(std::string_view operation,
                                                 std::string_view params_json) noexcept {
    return context_.operations.run(operation, params_json, caller_);
}

}  // namespace sluice::core::server
