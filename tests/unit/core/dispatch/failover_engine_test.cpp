#include "core/dispatch/failover_engine.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::dispatch {
namespace {

/// Orders candidates by a fixed list of ids and keeps every outcome it hears.
class ScriptedOrder final : public sdk::RoutingStrategy {
public:
    explicit ScriptedOrder(std::vector<std::string> ids) : ids_(std::move(ids)) {}
    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override {
        ++orders;
        for (const std::string& id : ids_) {
            for (std::uint32_t i = 0; i < context.candidate_count; ++i) {
                if (context.candidates[i].id == id && out.size() < context.limit) {
                    out.push_back(i);
                }
            }
        }
    }
    void onOutcome(const sdk::Outcome& outcome) noexcept override {
        outcomes.push_back({std::string(outcome.account_id), outcome.kind, outcome.total_tokens});
    }

    struct Heard {
        std::string account;
        sdk::OutcomeKind kind;
        std::uint64_t tokens;
    };
    int orders = 0;
    std::vector<Heard> outcomes;

private:
    std::vector<std::string> ids_;
};

class FailoverEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        pool_.pool.name = "team";
        pool_.pool.ring_size = 3;
        for (const char* id : {"a", "b", "c"}) {
            auto account = std::make_shared<routing::RoutedAccount>();
            account->id = id;
            account->label = std::string("label-") + id;
            account->pool = "team";
            account->status = sdk::AccountStatus::Active;
            account->access_token = "token";
            account->state = std::make_shared<routing::AccountState>();
            pool_.accounts.push_back(account);
        }
        strategy_ = std::make_shared<ScriptedOrder>(std::vector<std::string>{"b", "a", "c"});
        pool_.strategy = strategy_;
    }

    std::unique_ptr<FailoverEngine> engine(std::string pinned = {}) {
        routing::RouteQuery query{"gpt-5.5", sdk::RouteClass::ProxyStream, "", "", pinned};
        return std::make_unique<FailoverEngine>(services_, pool_, query, trace_,
                                                host_.fakeClock().steadyNow() + deadline_);
    }

    routing::RoutedAccountPtr account(std::string_view id) {
        for (const auto& account : pool_.accounts) {
            if (account->id == id) {
                return account;
            }
        }
        return nullptr;
    }

    static AttemptResult failed(Failure failure, int status = 0) {
        AttemptResult result;
        result.reached_upstream = true;
        result.upstream.status = status;
        result.fail(failure, true, false);
        return result;
    }

    static AttemptResult completed(std::uint64_t tokens = 0) {
        AttemptResult result;
        result.end = AttemptEnd::Completed;
        result.reached_upstream = true;
        result.usage.total_tokens = tokens;
        result.latency = std::chrono::milliseconds(20);
        return result;
    }

    sdk::testing::FakeHost host_;
    routing::AffinityTable affinities_;
    routing::RoutePlanner planner_{affinities_, host_.fakeClock()};
    DispatchMetrics metrics_{host_.metrics()};
    int renewals_started_ = 0;
    std::promise<lifecycle::RefreshResult> refresh_;
    std::shared_future<lifecycle::RefreshResult> refresh_future_ = refresh_.get_future().share();
    routing::RoutedAccountPtr renewed_;
    TokenRenewal renewal_{[this](const std::string&) {
                              ++renewals_started_;
                              return refresh_future_;
                          },
                          [this](const std::string&) { return renewed_; }, host_.fakeClock()};
    FailoverServices services_{planner_, renewal_, metrics_, host_.fakeClock(),
                               host_.logger("dispatch")};
    std::chrono::milliseconds deadline_{50};
    routing::PoolRoute pool_;
    std::shared_ptr<ScriptedOrder> strategy_;
    RoutingTrace trace_;
};

TEST_F(FailoverEngineTest, StartsHoldingAndWalksTheStrategysOrderPlannedOnce) {
    auto walk = engine();
    EXPECT_EQ(walk->phase(), Phase::Holding);
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->id, "b");
    walk->failOver(*first, failed(Failure::ServerError, 502));
    EXPECT_EQ(walk->phase(), Phase::Holding);
    // The failure demoted b, which moved the epoch; still the order's second account is next,
    // without asking the strategy again.
    auto second = walk->next();
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->id, "a");
    EXPECT_EQ(strategy_->orders, 1);
    EXPECT_EQ(walk->plans(), 1U);
    EXPECT_EQ(trace_.order, (std::vector<std::string>{"label-b", "label-a", "label-c"}));
}

TEST_F(FailoverEngineTest, PlansAgainWhenTheEligibleSetMovedElsewhere) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->failOver(*first, failed(Failure::ServerError, 502));
    // Another request's failure on account a: the eligible set moved, a goes last.
    account("a")->state->recordFailure(host_.fakeClock().now());
    auto second = walk->next();
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(walk->plans(), 2U);
    EXPECT_EQ(strategy_->orders, 2);
    EXPECT_EQ(second->id, "c");  // the re-plan put the demoted a behind c
}

TEST_F(FailoverEngineTest, TheRingBoundsTheWalkAndTheOrderRunsOut) {
    pool_.pool.ring_size = 2;
    auto walk = engine();
    for (int i = 0; i < 2; ++i) {
        auto next = walk->next();
        ASSERT_NE(next, nullptr);
        walk->failOver(*next, failed(Failure::NetworkError));
    }
    EXPECT_EQ(walk->next(), nullptr);
    EXPECT_FALSE(walk->ranOut());  // the ring ended it, not the pool
    ASSERT_TRUE(walk->lastFailure());
    EXPECT_EQ(walk->lastFailure()->reason, "network_error");
    EXPECT_FALSE(walk->noneLeft());  // c was never tried

    pool_.pool.ring_size = 5;
    trace_ = {};
    auto longer = engine();
    int tried = 0;
    while (auto next = longer->next()) {
        longer->failOver(*next, failed(Failure::NetworkError));
        ++tried;
    }
    EXPECT_EQ(tried, 3);
    EXPECT_TRUE(longer->ranOut());
}

TEST_F(FailoverEngineTest, CommitEndsFailoverAndFinishSettlesTheLastAttempt) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->commit();
    EXPECT_EQ(walk->phase(), Phase::Committed);
    EXPECT_EQ(walk->next(), nullptr);  // bytes went out: no other account may answer
    walk->finish(*first, completed(42));
    EXPECT_EQ(walk->phase(), Phase::Done);
    ASSERT_EQ(strategy_->outcomes.size(), 1U);
    EXPECT_EQ(strategy_->outcomes[0].account, "b");
    EXPECT_EQ(strategy_->outcomes[0].kind, sdk::OutcomeKind::Success);
    EXPECT_EQ(strategy_->outcomes[0].tokens, 42U);
    ASSERT_EQ(trace_.attempts.size(), 1U);
    EXPECT_EQ(trace_.attempts[0].end, "completed");
}

TEST_F(FailoverEngineTest, FinishFromHoldingIsDoneToo) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    AttemptResult passed;
    passed.upstream.status = 400;
    passed.reached_upstream = true;
    passed.fail(Failure::ClientError, true, false);
    walk->finish(*first, passed);
    EXPECT_EQ(walk->phase(), Phase::Done);
    EXPECT_EQ(strategy_->outcomes.back().kind, sdk::OutcomeKind::Rejected);
    EXPECT_EQ(trace_.attempts.back().reason, "upstream_400");
}

TEST_F(FailoverEngineTest, AbandonJudgesNobody) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    AttemptResult cut;
    cut.fail(Failure::Shutdown, true, false);
    walk->abandon(*first, cut);
    EXPECT_EQ(walk->phase(), Phase::Done);
    EXPECT_TRUE(strategy_->outcomes.empty());
    EXPECT_EQ(first->state->demotedUntil(), sdk::TimePoint{});
    EXPECT_EQ(trace_.attempts.back().reason, "server_shutdown");
}

TEST_F(FailoverEngineTest, CloseEndsACommittedSocketAndTurnsFeedTheStrategy) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    AttemptResult upgrade = completed();
    upgrade.upstream.status = 101;
    walk->settleAttempt(*first, upgrade);
    walk->commit();
    AttemptResult turn = completed(7);
    walk->settleTurn(*first, turn);
    AttemptResult limited;
    limited.fail(Failure::TurnUsageLimit, false, true);
    walk->settleTurn(*first, limited);
    EXPECT_EQ(walk->phase(), Phase::Committed);
    walk->close();
    EXPECT_EQ(walk->phase(), Phase::Done);
    ASSERT_EQ(strategy_->outcomes.size(), 3U);
    EXPECT_EQ(strategy_->outcomes[1].tokens, 7U);
    EXPECT_EQ(strategy_->outcomes[2].kind, sdk::OutcomeKind::QuotaExhausted);
    EXPECT_EQ(trace_.attempts.size(), 1U);  // turns are not attempts
}

TEST_F(FailoverEngineTest, SettleAppliesDemotionAndQuotaEvidence) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    AttemptResult limited = failed(Failure::UsageLimit, 429);
    limited.quota.blocked_until = host_.fakeClock().now() + std::chrono::hours(1);
    walk->failOver(*first, limited);
    EXPECT_GT(first->state->demotedUntil(), host_.fakeClock().now());
    EXPECT_EQ(first->state->blockedUntil(), *limited.quota.blocked_until);
    ASSERT_EQ(walk->blocked().size(), 1U);
    EXPECT_TRUE(walk->onlyQuotaFailures());
    EXPECT_EQ(strategy_->outcomes.back().kind, sdk::OutcomeKind::QuotaExhausted);
    EXPECT_EQ(host_.counterValue("sluice_dispatch_failovers_total", {{"reason", "usage_limit"}}),
              1U);
}

TEST_F(FailoverEngineTest, APinnedRequestWhoseAccountCannotServeIsRefused) {
    account("a")->state->applyQuota(
        {.blocked_until = host_.fakeClock().now() + std::chrono::hours(1)},
        host_.fakeClock().now());
    auto walk = engine("a");
    EXPECT_EQ(walk->next(), nullptr);
    EXPECT_TRUE(walk->pinnedRefused());
    EXPECT_FALSE(walk->onlyQuotaFailures());
}

TEST_F(FailoverEngineTest, AnUnauthorizedAccountFailsOverWhileItsTokenRenewsBehind) {
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->failOver(*first, failed(Failure::Unauthorized, 401));
    EXPECT_EQ(renewals_started_, 1);
    // Not the account's health: neither demoted nor counted against its circuit.
    EXPECT_EQ(first->state->demotedUntil(), sdk::TimePoint{});
    auto second = walk->next();
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->id, "a");  // no wait: the next account serves

    // Another request meanwhile passes over b without touching it.
    RoutingTrace other_trace;
    FailoverEngine other(services_, pool_, {"gpt-5.5", sdk::RouteClass::ProxyStream, "", "", ""},
                         other_trace, host_.fakeClock().steadyNow() + deadline_);
    auto pick = other.next();
    ASSERT_NE(pick, nullptr);
    EXPECT_EQ(pick->id, "a");
}

TEST_F(FailoverEngineTest, TheOnlyAccountLeftWaitsForItsRenewal) {
    pool_.pool.ring_size = 1;
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->failOver(*first, failed(Failure::Unauthorized, 401));
    auto fresh = std::make_shared<routing::RoutedAccount>(*first);
    fresh->access_token = "renewed";
    renewed_ = fresh;
    refresh_.set_value(lifecycle::RefreshResult::Refreshed);
    auto again = walk->next();
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->access_token, "renewed");
    EXPECT_EQ(renewals_started_, 1);
    ASSERT_EQ(trace_.attempts.size(), 2U);
    EXPECT_EQ(trace_.attempts[1].end, "token_refresh");
    EXPECT_EQ(trace_.attempts[1].reason, "renewed");
    EXPECT_EQ(walk->next(), nullptr);  // one renewal wait per request
}

TEST_F(FailoverEngineTest, ARenewalThatDoesNotFinishByTheDeadlineEndsTheWalk) {
    pool_.pool.ring_size = 1;
    deadline_ = std::chrono::milliseconds(0);
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->failOver(*first, failed(Failure::Unauthorized, 401));
    EXPECT_EQ(walk->next(), nullptr);
    EXPECT_EQ(trace_.attempts.back().reason, "not_renewed");
}

TEST_F(FailoverEngineTest, AFailedRenewalEndsTheWalk) {
    pool_.pool.ring_size = 1;
    auto walk = engine();
    auto first = walk->next();
    ASSERT_NE(first, nullptr);
    walk->failOver(*first, failed(Failure::Unauthorized, 401));
    refresh_.set_value(lifecycle::RefreshResult::Terminal);
    EXPECT_EQ(walk->next(), nullptr);
    ASSERT_TRUE(walk->lastFailure());
    EXPECT_EQ(walk->lastFailure()->reason, "upstream_401");
}

}  // namespace
}  // namespace sluice::core::dispatch
