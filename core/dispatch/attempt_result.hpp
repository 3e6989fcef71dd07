#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/routing/quota_evidence.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// How one attempt on one account ended, from the dispatcher's point of view.
enum class AttemptEnd {
    Completed,    ///< relayed to its end
    Interrupted,  ///< committed, then the upstream broke
    ClientGone,   ///< the client left mid-response
    Failover,     ///< nothing reached the client; another account may try
    PassThrough,  ///< an upstream answer the client must see as is (e.g. a 400)
};

const char* attemptEndName(AttemptEnd end) noexcept;

/// The reason of an attempt the gateway's shutdown cut short (see StreamCutoff): Interrupted
/// once committed, PassThrough before. Neither the account's fault nor a judgement of it.
inline constexpr std::string_view kShutdownReason = "server_shutdown";

struct AttemptResult {
    AttemptEnd end = AttemptEnd::Failover;
    std::string reason;             ///< stable code: "upstream_429", "network_error", ...
    bool reached_upstream = false;  ///< false: the account was not judged (e.g. connect refused
                                    ///< counts, a local error does not)
    bool account_fault = false;     ///< counts against the account's circuit and demotes it
    sdk::UpstreamFailure upstream;  ///< status, headers and body of a failed answer
    routing::QuotaObservation quota;
    sdk::TokenUsage usage;
    std::string response_id;  ///< id of the upstream response that completed, when seen
    std::chrono::microseconds latency{0};
};

}  // namespace sluice::core::dispatch
