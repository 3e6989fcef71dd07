#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/dispatch/failover_rules.hpp"
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

struct AttemptResult {
    AttemptEnd end = AttemptEnd::Failover;
    std::optional<Failure> failure;  ///< set for every end but Completed and ClientGone
    std::string reason;              ///< stable code: "upstream_429", "network_error", ...
    bool reached_upstream = false;   ///< false: the account was not judged (e.g. connect refused
                                     ///< counts, a local error does not)
    bool account_fault = false;      ///< counts against the account's circuit and demotes it
    sdk::UpstreamFailure upstream;   ///< status, headers and body of a failed answer
    routing::QuotaObservation quota;
    sdk::TokenUsage usage;
    std::string response_id;  ///< id of the upstream response that completed, when seen
    std::chrono::microseconds latency{0};

    /// Ends the attempt as `failure`'s row says: failover when the row and the request allow it
    /// and nothing reached the client (`committed` false), otherwise passed through or, once
    /// committed, interrupted. `detail` qualifies the reason (a first event's error code).
    void fail(Failure what, bool allow_failover, bool committed, std::string_view detail = {});
};

}  // namespace sluice::core::dispatch
