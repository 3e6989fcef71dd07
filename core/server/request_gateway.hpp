#pragma once

#include "core/dispatch/routing_trace.hpp"
#include "core/server/server_context.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::server {

/// The sdk::Gateway a route family sees during one request: the shared data plane bound to the
/// caller, behind the caller's key policy, collecting the routing trace that ends up in the
/// request log.
class RequestGateway final : public sdk::Gateway {
public:
    RequestGateway(ServerContext& context, const sdk::Principal& caller) : context_(context), caller_(caller) {}

    sdk::DispatchOutcome dispatch(const sdk::DispatchRequest& request, sdk::DispatchSink& sink) noexcept override;
    sdk::DispatchOutcome relayWebSocket(const sdk::DispatchRequest& request,
                                        sdk::Exchange& exchange) noexcept override;
    sdk::Result<std::string> operate(std::string_view operation, std::string_view params_json) noexcept override;

    dispatch::RoutingTrace& trace() noexcept { return trace_; }

private:
    ServerContext& context_;
    const sdk::Principal& caller_;
    dispatch::RoutingTrace trace_;
    bool request_counted_ = false;  ///< the client request was counted against requests per minute
};

}  // namespace sluice::core::server
