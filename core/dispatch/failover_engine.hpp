#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/dispatch/attempt_result.hpp"
#include "core/dispatch/dispatch_metrics.hpp"
#include "core/dispatch/phase.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/token_renewal.hpp"
#include "core/routing/route_planner.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::core::dispatch {

/// What the engine borrows; everything outlives it.
struct FailoverServices {
    routing::RoutePlanner& planner;
    TokenRenewal& renewal;
    DispatchMetrics& metrics;
    const sdk::Clock& clock;
    sdk::Logger& logger;
};

/// One request's walk over its pool's accounts, for HTTP answers and websocket sockets alike.
/// The strategy's order is the failover order: planned once, walked account by account, planned
/// again only when the eligible-set epoch moved for a reason other than this request's own
/// attempts. Every attempt is settled the same way (circuit, demotion, quota evidence, the
/// strategy's onOutcome, the trace); what a failure means comes from kFailureRules.
///
/// Phases: Holding (nothing reached the client: next() may give another account) -> Committed
/// (bytes went out) -> Done. One function per transition. Single-threaded (the request thread).
class FailoverEngine final {
public:
    FailoverEngine(const FailoverServices& services, const routing::PoolRoute& pool,
                   routing::RouteQuery query, RoutingTrace& trace,
                   std::chrono::steady_clock::time_point answer_by);

    Phase phase() const noexcept { return phase_; }

    /// Holding: the next account to try with its circuit acquired; null once the walk is over
    /// (ring used, deadline passed, order walked). An account whose token is being renewed is
    /// passed over; when nothing else is left the walk waits for its renewal, up to the deadline.
    routing::RoutedAccountPtr next();
    /// Holding -> Holding: settles an attempt that failed over (end Failover).
    void failOver(const routing::RoutedAccount& account, const AttemptResult& result);
    /// Holding -> Committed: the answer began to reach the client.
    void commit();
    /// Holding | Committed -> Done: settles the request's last attempt.
    void finish(const routing::RoutedAccount& account, const AttemptResult& result);
    /// Holding | Committed -> Done without judging `account` (the shutdown cut its attempt): a
    /// half-open probe it holds is released.
    void abandon(const routing::RoutedAccount& account, const AttemptResult& result);
    /// Committed -> Done: a long-lived answer (a websocket) closed; its turns were settled.
    void close();

    /// Settles a completed attempt without a transition: a websocket's upgrade, once committed.
    void settleAttempt(const routing::RoutedAccount& account, const AttemptResult& result);
    /// Committed: settles one turn of an open websocket. Its circuit is left alone (the turn
    /// took no probe) and the trace keeps attempts only.
    void settleTurn(const routing::RoutedAccount& account, const AttemptResult& result);

    /// The first plan was pinned to an account that cannot serve.
    bool pinnedRefused() const noexcept { return pinned_refused_; }
    /// The walk ended because no eligible account was left to try.
    bool ranOut() const noexcept { return ran_out_; }
    /// Every failure so far was a quota failure (and the request is not pinned).
    bool onlyQuotaFailures() const noexcept { return only_quota_failures_; }
    const std::optional<AttemptResult>& lastFailure() const noexcept { return last_failure_; }
    /// Accounts a failure just excluded for their quota, with their reset.
    const std::vector<routing::Exclusion>& blocked() const noexcept { return blocked_; }
    /// Whether no eligible account is left beyond those tried (asks the planner once more).
    bool noneLeft() const;
    /// How many times the strategy was asked to order (plans and re-plans).
    std::uint32_t plans() const noexcept { return plans_; }

private:
    /// Asks the planner (and so the strategy) for the order of the accounts not yet tried.
    void plan();
    /// The account whose renewal this request may wait on, renewed; null when there is none.
    routing::RoutedAccountPtr awaitRenewal();
    enum class Settle { Attempt, Turn };
    void settle(const routing::RoutedAccount& account, const AttemptResult& result, Settle kind);
    void traceAttempt(const routing::RoutedAccount& account, const AttemptResult& result);

    FailoverServices services_;
    const routing::PoolRoute& pool_;
    routing::RouteQuery query_;
    RoutingTrace& trace_;
    std::chrono::steady_clock::time_point answer_by_;
    std::uint32_t ring_;

    Phase phase_ = Phase::Holding;
    std::vector<routing::RoutedAccountPtr> order_;
    std::size_t position_ = 0;  ///< next index into order_
    std::uint64_t epoch_ = 0;   ///< the eligible-set epoch order_ stands for
    std::uint32_t plans_ = 0;
    std::uint32_t attempts_ = 0;  ///< ring slots used
    std::vector<std::string> tried_;
    std::string renewing_id_;  ///< an account of this walk whose token is being renewed
    std::string renewing_label_;
    bool renewal_awaited_ = false;
    bool pinned_refused_ = false;
    bool ran_out_ = false;
    bool only_quota_failures_ = true;
    std::optional<AttemptResult> last_failure_;
    std::vector<routing::Exclusion> blocked_;
};

}  // namespace sluice::core::dispatch
