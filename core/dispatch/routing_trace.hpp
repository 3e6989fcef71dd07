#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/routing/route_planner.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

struct AttemptTrace {
    std::string account_id;
    std::string account_label;
    std::string end;     ///< attemptEndName()
    std::string reason;  ///< failure code, empty on success
    int upstream_status = 0;
    std::int64_t latency_us = 0;
};

/// Why a request went where it went: metadata only, kept in the request log and shown by the
/// explain surfaces. Filled on the request thread; serialised off it.
struct RoutingTrace {
    std::string model;
    std::string route_class;
    std::vector<routing::Exclusion> excluded;
    std::vector<std::string> order;  ///< labels, as first planned
    std::string affinity_account;
    bool pinned = false;
    std::vector<AttemptTrace> attempts;
    std::string account_id;  ///< the account that answered
    std::string account_label;
    sdk::TokenUsage usage;
    std::string error_code;
    /// The answer's response id (upstream), when it had one: what a wallet charge is keyed by.
    std::string response_id;
    /// The conversation the request continues (session or prompt cache key), when it named one.
    std::string conversation_key;

    std::string toJson() const;
};

}  // namespace sluice::core::dispatch
