#include "core/dispatch/attempt_result.hpp"

namespace sluice::core::dispatch {

const char* attemptEndName(AttemptEnd end) noexcept {
    switch (end) {
        case AttemptEnd::Completed:
            return "completed";
        case AttemptEnd::Interrupted:
            return "interrupted";
        case AttemptEnd::ClientGone:
            return "client_gone";
        case AttemptEnd::Failover:
            return "failover";
        case AttemptEnd::PassThrough:
            return "pass_through";
    }
    return "unknown";
}

void AttemptResult::fail(Failure what, bool allow_failover, bool committed,
                         std::string_view detail) {
    const FailureRule& rule = ruleFor(what);
    failure = what;
    if (committed) {
        end = AttemptEnd::Interrupted;
    } else {
        end = rule.fails_over && allow_failover ? AttemptEnd::Failover : AttemptEnd::PassThrough;
    }
    reason = rule.reason.empty() ? "upstream_" + std::to_string(upstream.status)
                                 : std::string(rule.reason);
    if (!detail.empty()) {
        reason += ":";
        reason += detail;
    }
    reached_upstream = rule.judges_circuit;
    account_fault = rule.account_fault;
}

}  // namespace sluice::core::dispatch
