#pragma once

#include "core/dispatch/dispatcher.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/websocket_relay.hpp"
#include "core/ops/operations.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::server {

/// The sdk::Gateway a route family sees during one request: the shared data plane bound to the
/// caller, collecting the routing trace that ends up in the request log.
class RequestGateway final : public sdk::Gateway {
public:
    RequestGateway(dispatch::Dispatcher& dispatcher, dispatch::WebSocketRelay& websockets,
                   const ops::Operations& operations, const sdk::Principal& caller)
        : dispatcher_(dispatcher), websockets_(websockets), operations_(operations), caller_(caller) {}

    sdk::DispatchOutcome dispatch(const sdk::DispatchRequest& request, sdk::DispatchSink& sink) noexcept override;
    sdk::DispatchOutcome relayWebSocket(const sdk::DispatchRequest& request,
                                        sdk::Exchange& exchange) noexcept override;
    sdk::Result<std::string> operate(std::string_view operation, std::string_view params_json) noexcept override;

    dispatch::RoutingTrace& trace() noexcept { return trace_; }

private:
    dispatch::Dispatcher& dispatcher_;
    dispatch::WebSocketRelay& websockets_;
    const ops::Operations& operations_;
    const sdk::Principal& caller_;
    dispatch::RoutingTrace trace_;
};

}  // namespace sluice::core::server
