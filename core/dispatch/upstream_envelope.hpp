#pragma once

#include <string>

#include "core/config/pipeline.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// How Sluice presents itself upstream: the account's bearer token and account id, plus the
/// configured originator, user-agent and version. Client credentials and hop-by-hop headers
/// never pass, whatever a family asks to forward.
class UpstreamEnvelope final {
public:
    explicit UpstreamEnvelope(const config::UpstreamSettings& settings);

    sdk::Headers headersFor(const routing::RoutedAccount& account,
                            const sdk::DispatchRequest& request) const;

    /// Response headers a client may see (content type, turn state, quota, model hints).
    static sdk::Headers relayable(const sdk::Headers& upstream);
    /// Whether a client-supplied header may never be forwarded upstream.
    static bool isForbidden(std::string_view name) noexcept;

private:
    std::string originator_;
    std::string user_agent_;
    std::string version_;
};

}  // namespace sluice::core::dispatch
