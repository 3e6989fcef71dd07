#include "core/dispatch/failover_engine.hpp"

namespace sluice::core::dispatch {

namespace {

sdk::OutcomeKind outcomeKind(const AttemptResult& result) {
    if (result.end == AttemptEnd::Completed || result.end == AttemptEnd::ClientGone ||
        !result.failure) {
        return sdk::OutcomeKind::Success;
    }
    return ruleFor(*result.failure).outcome;
}

}  // namespace

FailoverEngine::FailoverEngine(const FailoverServices& services, const routing::PoolRoute& pool,
                               routing::RouteQuery query, RoutingTrace& trace,
                               std::chrono::steady_clock::time_point answer_by)
    : services_(services),
      pool_(pool),
      query_(std::move(query)),
      trace_(trace),
      answer_by_(answer_by),
      ring_(static_cast<std::uint32_t>(pool.pool.ring_size)),
      only_quota_failures_(query_.pinned_account.empty()) {}

void FailoverEngine::plan() {
    routing::RoutePlan plan =
        services_.planner.plan(pool_, query_, tried_, attempts_, ring_ - attempts_);
    if (plans_++ == 0) {
        trace_.excluded = plan.excluded;
        trace_.affinity_account = plan.affinity_account;
        trace_.pinned = plan.pinned;
        for (const auto& account : plan.order) {
            trace_.order.push_back(account->label);
        }
        pinned_refused_ = plan.pinned && plan.order.empty();
    }
    order_ = std::move(plan.order);
    position_ = 0;
    epoch_ = plan.epoch;
}

routing::RoutedAccountPtr FailoverEngine::next() {
    if (phase_ != Phase::Holding || pinned_refused_) {
        return nullptr;
    }
    if (plans_ == 0) {
        plan();
        if (pinned_refused_) {
            return nullptr;
        }
    }
    while (attempts_ < ring_ && (attempts_ == 0 || services_.clock.steadyNow() < answer_by_)) {
        if (routing::AccountState::eligibilityEpoch() != epoch_) {
            plan();  // accounts came or went since the order was made
        }
        if (position_ == order_.size()) {
            ran_out_ = true;
            break;
        }
        routing::RoutedAccountPtr account = order_[position_++];
        tried_.push_back(account->id);
        if (services_.renewal.renewing(account->id)) {
            if (renewing_id_.empty()) {
                renewing_id_ = account->id;
                renewing_label_ = account->label;
            }
            continue;  // its token is stale: the next account serves, if there is one
        }
        ++attempts_;
        if (!account->state->circuitAcquire(query_.model, query_.route_class,
                                            services_.clock.steadyNow())) {
            only_quota_failures_ = false;
            continue;  // another request holds the half-open probe
        }
        return account;
    }
    return awaitRenewal();
}

routing::RoutedAccountPtr FailoverEngine::awaitRenewal() {
    if (renewing_id_.empty() || renewal_awaited_) {
        return nullptr;
    }
    renewal_awaited_ = true;
    const auto started = services_.clock.steadyNow();
    routing::RoutedAccountPtr renewed = services_.renewal.await(renewing_id_, answer_by_);
    trace_.attempts.push_back({renewing_id_, renewing_label_, "token_refresh",
                               renewed ? "renewed" : "not_renewed", 0,
                               std::chrono::duration_cast<std::chrono::microseconds>(
                                   services_.clock.steadyNow() - started)
                                   .count()});
    if (renewed == nullptr || !renewed->state->circuitAcquire(query_.model, query_.route_class,
                                                              services_.clock.steadyNow())) {
        return nullptr;
    }
    ran_out_ = false;
    return renewed;
}

void FailoverEngine::failOver(const routing::RoutedAccount& account, const AttemptResult& result) {
    settle(account, result, Settle::Attempt);
    const FailureRule& rule = ruleFor(result.failure.value_or(Failure::NetworkError));
    services_.metrics.failover(rule.metric);
    if (rule.renews_token) {
        services_.renewal.begin(account.id);
        renewing_id_ = account.id;
        renewing_label_ = account.label;
    }
    if (result.quota.blocked_until) {
        blocked_.push_back(
            {account.id, account.label, result.reason, *result.quota.blocked_until, true});
    } else {
        only_quota_failures_ = false;
    }
    last_failure_ = result;
}

void FailoverEngine::commit() {
    if (phase_ == Phase::Holding) {
        phase_ = Phase::Committed;
    }
}

void FailoverEngine::finish(const routing::RoutedAccount& account, const AttemptResult& result) {
    settle(account, result, Settle::Attempt);
    phase_ = Phase::Done;
}

void FailoverEngine::abandon(const routing::RoutedAccount& account, const AttemptResult& result) {
    traceAttempt(account, result);
    account.state->circuitSettle(query_.model, query_.route_class, std::nullopt,
                                 services_.clock.steadyNow());
    phase_ = Phase::Done;
}

void FailoverEngine::close() {
    phase_ = Phase::Done;
}

void FailoverEngine::settleAttempt(const routing::RoutedAccount& account,
                                   const AttemptResult& result) {
    settle(account, result, Settle::Attempt);
}

void FailoverEngine::settleTurn(const routing::RoutedAccount& account,
                                const AttemptResult& result) {
    settle(account, result, Settle::Turn);
}

bool FailoverEngine::noneLeft() const {
    return services_.planner.plan(pool_, query_, tried_, ring_, 1).order.empty();
}

void FailoverEngine::traceAttempt(const routing::RoutedAccount& account,
                                  const AttemptResult& result) {
    trace_.attempts.push_back({account.id, account.label, attemptEndName(result.end), result.reason,
                               result.upstream.status, result.latency.count()});
}

void FailoverEngine::settle(const routing::RoutedAccount& account, const AttemptResult& result,
                            Settle kind) {
    // This request's own attempt moves the epoch (demotion, circuit, quota) for an account the
    // walk has left behind: that alone is no reason to ask the strategy again.
    const std::uint64_t before = routing::AccountState::eligibilityEpoch();
    const sdk::TimePoint now = services_.clock.now();
    if (kind == Settle::Attempt) {
        traceAttempt(account, result);
        services_.metrics.attempt(result.end);
    }
    if (!result.quota.empty()) {
        account.state->applyQuota(result.quota, now);
    }
    if (kind == Settle::Attempt) {
        const std::optional<bool> healthy =
            result.reached_upstream ? std::optional<bool>(!result.account_fault) : std::nullopt;
        if (const auto changed = account.state->circuitSettle(
                query_.model, query_.route_class, healthy, services_.clock.steadyNow())) {
            services_.metrics.circuit(*changed);
            services_.logger.warn("circuit_changed",
                                  {{"account", account.label},
                                   {"model", query_.model},
                                   {"route_class", sdk::routeClassName(query_.route_class)},
                                   {"state", routing::circuitStateName(*changed)}});
        }
    }
    if (result.account_fault) {
        account.state->recordFailure(now);
    } else if (result.end == AttemptEnd::Completed) {
        account.state->recordSuccess(now, result.latency);
    }
    pool_.strategy->onOutcome(
        {account.id, query_.model, outcomeKind(result), result.latency, result.usage.total_tokens});
    if (before == epoch_) {
        epoch_ = routing::AccountState::eligibilityEpoch();
    }
}

}  // namespace sluice::core::dispatch
