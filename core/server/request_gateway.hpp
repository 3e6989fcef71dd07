#pragma once

#include "core/accounting/request_ledger.hpp"
#include "core/server/server_context.hpp"
#include "sluice/sdk/file_owners.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/gateway_drain.hpp"

namespace sluice::core::server {

/// The sdk::Gateway a route family sees during one request: the shared data plane bound to the
/// caller, behind the caller's key policy, booking what each dispatch did in the request's
/// ledger.
class RequestGateway final : public sdk::Gateway,
                             public sdk::KnowsFileOwners,
                             public sdk::KnowsDraining {
public:
    RequestGateway(ServerContext& context, const sdk::Principal& caller,
                   accounting::RequestLedger& ledger)
        : context_(context), caller_(caller), ledger_(ledger) {}

    sdk::DispatchOutcome dispatch(const sdk::DispatchRequest& request,
                                  sdk::DispatchSink& sink) noexcept override;
    sdk::DispatchOutcome relayWebSocket(const sdk::DispatchRequest& request,
                                        sdk::Exchange& exchange) noexcept override;
    sdk::Result<std::string> operate(std::string_view operation,
                                     std::string_view params_json) noexcept override;
    std::optional<std::string> fileOwner(std::string_view file_id) noexcept override;
    bool draining() const noexcept override { return context_.draining.load(); }

private:
    sdk::DispatchOutcome refuse(std::string_view model, sdk::ErrorInfo error);

    ServerContext& context_;
    const sdk::Principal& caller_;
    accounting::RequestLedger& ledger_;
    bool request_counted_ = false;  ///< the client request was counted against requests per minute
};

}  // namespace sluice::core::server
