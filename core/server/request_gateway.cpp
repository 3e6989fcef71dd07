#include "core/server/request_gateway.hpp"

#include "core/server/http_exchange.hpp"

namespace sluice::core::server {

namespace {

sdk::DispatchOutcome internalFailure(dispatch::RoutingTrace& trace) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = {500, "server_error", "internal_error", "the gateway failed to dispatch the request", "", 0, ""};
    trace.error_code = "internal_error";
    return outcome;
}

}  // namespace

sdk::DispatchOutcome RequestGateway::dispatch(const sdk::DispatchRequest& request,
                                              sdk::DispatchSink& sink) noexcept {
    try {
        return dispatcher_.dispatch(caller_, request, sink, trace_);
    } catch (const std::exception&) {
        return internalFailure(trace_);
    }
}

sdk::DispatchOutcome RequestGateway::relayWebSocket(const sdk::DispatchRequest& request,
                                                    sdk::Exchange& exchange) noexcept {
    try {
        // The exchange is always the host's own; the websocket takes over its connection.
        auto& http = dynamic_cast<HttpExchange&>(exchange);
        bool switched = false;
        sdk::DispatchOutcome outcome =
            websockets_.relay(caller_, request, http.pocoRequest(), http.pocoResponse(), switched, trace_);
        if (switched) {
            http.writer().markSwitched(101);
        }
        return outcome;
    } catch (const std::exception&) {
        return internalFailure(trace_);
    }
}

sdk::Result<std::string> RequestGateway::operate(std::string_view operation,
                                                 std::string_view params_json) noexcept {
    return operations_.run(operation, params_json, caller_);
}

}  // namespace sluice::core::server
