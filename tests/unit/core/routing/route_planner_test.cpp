#include "core/routing/route_planner.hpp"

#include <gtest/gtest.h>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::routing {
namespace {

/// Orders candidates as given, optionally misbehaving to check the host's guard rails.
class ListOrder final : public sdk::RoutingStrategy {
public:
    explicit ListOrder(bool misbehave = false) : misbehave_(misbehave) {}
    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override {
        if (misbehave_) {
            out.push_back(999);
            out.push_back(0);
            out.push_back(0);
        }
        for (std::uint32_t i = 0; i < context.candidate_count && out.size() < context.limit + 3;
             ++i) {
            out.push_back(i);
        }
    }
    void onOutcome(const sdk::Outcome&) noexcept override {}

private:
    bool misbehave_;
};

/// Keeps the candidates it was offered; declares the live fields it reads when given some.
class Recorder final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    explicit Recorder(sdk::LiveFields live) : live_(live) {}
    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override {
        seen.assign(context.candidates, context.candidates + context.candidate_count);
        out.push_back(0);
    }
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return live_; }

    std::vector<sdk::Candidate> seen;

private:
    sdk::LiveFields live_;
};

class RoutePlannerTest : public ::testing::Test {
protected:
    std::shared_ptr<RoutedAccount> account(const std::string& id,
                                           sdk::AccountStatus status = sdk::AccountStatus::Active) {
        auto a = std::make_shared<RoutedAccount>();
        a->id = id;
        a->label = "label-" + id;
        a->pool = "team";
        a->status = status;
        a->access_token = "token";
        a->state = std::make_shared<AccountState>();
        pool_.accounts.push_back(a);
        return a;
    }

    std::vector<std::string> ids(const RoutePlan& plan) {
        std::vector<std::string> out;
        for (const auto& a : plan.order) {
            out.push_back(a->id);
        }
        return out;
    }

    void SetUp() override {
        pool_.pool.name = "team";
        pool_.pool.ring_size = 3;
        pool_.strategy = std::make_shared<ListOrder>();
    }

    sdk::testing::FakeHost host_;
    AffinityTable affinities_;
    RoutePlanner planner_{affinities_, host_.fakeClock()};
    PoolRoute pool_;
};

TEST_F(RoutePlannerTest, ExcludesIneligibleAccountsWithReasons) {
    account("a", sdk::AccountStatus::Paused);
    auto blocked = account("b");
    blocked->state->applyQuota(
        {std::nullopt, std::nullopt, host_.clock().now() + std::chrono::hours(1)},
        host_.clock().now());
    auto expired = account("c");
    expired->access_expires_at = host_.clock().now() - std::chrono::seconds(1);
    auto broken = account("d");
    broken->access_token.clear();
    broken->credential_problem = "credentials cannot be decrypted (key version 9)";
    account("e");

    const RoutePlan plan = planner_.plan(pool_, {"gpt-5.5"}, {}, 0, 3);
    EXPECT_EQ(ids(plan), std::vector<std::string>{"e"});
    ASSERT_EQ(plan.excluded.size(), 4U);
    EXPECT_EQ(plan.excluded[0].reason, "paused by an operator");
    EXPECT_EQ(plan.excluded[1].reason.rfind("usage limit reached until unix ", 0), 0U);
    EXPECT_EQ(plan.excluded[2].reason, "access token expired");
    EXPECT_EQ(plan.excluded[3].reason, "credentials cannot be decrypted (key version 9)");
}

TEST_F(RoutePlannerTest, ExcludesAccountWhoseQuotaWindowIsUsedUp) {
    auto full = account("a");
    WindowObservation window{100.0, 300, host_.clock().now() + std::chrono::minutes(5)};
    full->state->applyQuota({window, std::nullopt, std::nullopt}, host_.clock().now());
    account("b");
    const RoutePlan plan = planner_.plan(pool_, {"m"}, {}, 0, 3);
    EXPECT_EQ(ids(plan), std::vector<std::string>{"b"});
    ASSERT_EQ(plan.excluded.size(), 1U);
    EXPECT_EQ(plan.excluded[0].reason.rfind("quota window used up", 0), 0U);
}

TEST_F(RoutePlannerTest, ExcludesAccountWithOpenCircuitForTheModelOnly) {
    auto a = account("a");
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream,
                                             host_.clock().steadyNow()));
        a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, false,
                                host_.clock().steadyNow());
    }
    EXPECT_TRUE(planner_.plan(pool_, {"m1", sdk::RouteClass::ProxyStream}, {}, 0, 3).order.empty());
    EXPECT_EQ(ids(planner_.plan(pool_, {"m2", sdk::RouteClass::ProxyStream}, {}, 0, 3)),
              std::vector<std::string>{"a"});
}

TEST_F(RoutePlannerTest, AnAccountReturnsWhenItsCircuitClosesAgain) {
    auto a = account("a");
    const RouteQuery query{"m1", sdk::RouteClass::ProxyStream};
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream,
                                             host_.clock().steadyNow()));
        a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, false,
                                host_.clock().steadyNow());
    }
    ASSERT_TRUE(planner_.plan(pool_, query, {}, 0, 3).order.empty());
    host_.fakeClock().advance(std::chrono::seconds(61));
    // Open past its time: admitted for one probe, which succeeds and closes the circuit.
    ASSERT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), std::vector<std::string>{"a"});
    ASSERT_TRUE(
        a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream, host_.clock().steadyNow()));
    EXPECT_TRUE(planner_.plan(pool_, query, {}, 0, 3).order.empty()) << "one probe at a time";
    a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, true, host_.clock().steadyNow());
    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), std::vector<std::string>{"a"});
    EXPECT_EQ(a->state->circuits().front().state, CircuitState::Closed);
}

TEST_F(RoutePlannerTest, ExclusionsSayWhenTheAccountCanServeAgain) {
    const sdk::TimePoint now = host_.clock().now();
    account("a", sdk::AccountStatus::Paused);
    account("b")->state->applyQuota({std::nullopt, std::nullopt, now + std::chrono::hours(1)}, now);
    auto open = account("c");
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(open->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream,
                                                host_.clock().steadyNow()));
        open->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, false,
                                   host_.clock().steadyNow());
    }
    const RoutePlan plan = planner_.plan(pool_, {"m1", sdk::RouteClass::ProxyStream}, {}, 0, 3);
    ASSERT_EQ(plan.excluded.size(), 3U);
    EXPECT_EQ(plan.excluded[0].eligible_at, sdk::TimePoint::max())
        << "paused: only an operator ends it";
    EXPECT_EQ(plan.excluded[1].eligible_at, now + std::chrono::hours(1));
    EXPECT_EQ(plan.excluded[2].eligible_at, now + CircuitBreaker::kOpenFor);
    EXPECT_EQ(earliestEligible(plan.excluded), now + CircuitBreaker::kOpenFor);
    EXPECT_FALSE(earliestEligible({plan.excluded[0]}).has_value());
}

TEST(RetryAfterSeconds, RoundsUpToWholeSecondsAndIsAtLeastOne) {
    const sdk::TimePoint now{std::chrono::seconds(1'000'000)};
    EXPECT_EQ(retryAfterSeconds(now + std::chrono::milliseconds(1500), now), 2);
    EXPECT_EQ(retryAfterSeconds(now + std::chrono::seconds(60), now), 60);
    EXPECT_EQ(retryAfterSeconds(now - std::chrono::seconds(5), now), 1);
    EXPECT_EQ(retryAfterSeconds(std::nullopt, now), 0);
}

TEST_F(RoutePlannerTest, SkipsTriedAccountsAndHonoursTheLimit) {
    account("a");
    account("b");
    account("c");
    EXPECT_EQ(ids(planner_.plan(pool_, {"m"}, {"a"}, 1, 1)), std::vector<std::string>{"b"});
    EXPECT_EQ(ids(planner_.plan(pool_, {"m"}, {}, 0, 2)), (std::vector<std::string>{"a", "b"}));
}

TEST_F(RoutePlannerTest, ConversationAccountLeadsAndDemotedAccountsGoLast) {
    account("a");
    auto b = account("b");
    account("c");
    affinities_.remember("team", "session-1", "c", host_.clock().now());
    b->state->recordFailure(host_.clock().now());
    RouteQuery query{"m"};
    query.session_key = "session-1";
    const RoutePlan plan = planner_.plan(pool_, query, {}, 0, 3);
    EXPECT_EQ(ids(plan), (std::vector<std::string>{"c", "a", "b"}));
    EXPECT_EQ(plan.affinity_account, "c");
}

TEST_F(RoutePlannerTest, HardPinOnlyConsidersThePinnedAccount) {
    account("a");
    account("b", sdk::AccountStatus::ReauthRequired);
    RouteQuery query{"m"};
    query.pinned_account = "b";
    const RoutePlan plan = planner_.plan(pool_, query, {}, 0, 3);
    EXPECT_TRUE(plan.order.empty());
    EXPECT_TRUE(plan.pinned);
    ASSERT_EQ(plan.excluded.size(), 1U);
    EXPECT_EQ(plan.excluded[0].account_id, "b");
}

TEST_F(RoutePlannerTest, DropsInvalidAndDuplicateIndicesFromAStrategy) {
    pool_.strategy = std::make_shared<ListOrder>(true);
    account("a");
    account("b");
    EXPECT_EQ(ids(planner_.plan(pool_, {"m"}, {}, 0, 3)), (std::vector<std::string>{"a", "b"}));
}

TEST_F(RoutePlannerTest, AnAccountStateEventReachesTheNextPlan) {
    account("a");
    auto b = account("b");
    const RouteQuery query{"m"};
    ASSERT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), (std::vector<std::string>{"a", "b"}));

    b->state->recordFailure(host_.clock().now());
    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), (std::vector<std::string>{"a", "b"}));
    pool_.strategy = std::make_shared<Recorder>(sdk::LiveFields{});
    planner_.plan(pool_, query, {}, 0, 3);
    ASSERT_EQ(static_cast<Recorder&>(*pool_.strategy).seen.size(), 2U);
    EXPECT_GT(static_cast<Recorder&>(*pool_.strategy).seen[1].cooldown_until, host_.clock().now())
        << "demoted";
    b->state->recordSuccess(host_.clock().now(), std::chrono::milliseconds(5));
    planner_.plan(pool_, query, {}, 0, 3);
    EXPECT_EQ(static_cast<Recorder&>(*pool_.strategy).seen[1].cooldown_until, sdk::TimePoint{})
        << "recovered";

    b->state->applyQuota(
        {std::nullopt, std::nullopt, host_.clock().now() + std::chrono::minutes(1)},
        host_.clock().now());
    const RoutePlan limited = planner_.plan(pool_, query, {}, 0, 3);
    EXPECT_EQ(ids(limited), std::vector<std::string>{"a"});
    ASSERT_EQ(limited.excluded.size(), 1U);
    EXPECT_EQ(limited.excluded[0].account_id, "b");
}

TEST_F(RoutePlannerTest, ExclusionsLapseAndTokensExpireWithTimeAlone) {
    auto blocked = account("blocked");
    blocked->state->applyQuota(
        {std::nullopt, std::nullopt, host_.clock().now() + std::chrono::minutes(1)},
        host_.clock().now());
    auto full = account("full");
    WindowObservation window{100.0, 300, host_.clock().now() + std::chrono::minutes(2)};
    full->state->applyQuota({window, std::nullopt, std::nullopt}, host_.clock().now());
    auto expiring = account("expiring");
    expiring->access_expires_at = host_.clock().now() + std::chrono::minutes(3);
    const RouteQuery query{"m"};

    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), std::vector<std::string>{"expiring"});
    host_.fakeClock().advance(std::chrono::minutes(1));
    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)),
              (std::vector<std::string>{"blocked", "expiring"}));
    host_.fakeClock().advance(std::chrono::minutes(1));
    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)),
              (std::vector<std::string>{"blocked", "full", "expiring"}));
    host_.fakeClock().advance(std::chrono::minutes(1));
    const RoutePlan plan = planner_.plan(pool_, query, {}, 0, 3);
    EXPECT_EQ(ids(plan), (std::vector<std::string>{"blocked", "full"}));
    ASSERT_EQ(plan.excluded.size(), 1U);
    EXPECT_EQ(plan.excluded[0].reason, "access token expired");
}

TEST_F(RoutePlannerTest, AStaleUsedUpWindowStopsExcludingAndAFreshOneExcludesAgain) {
    auto full = account("full");
    const auto observe = [&] {
        WindowObservation window{100.0, 10080, host_.clock().now() + std::chrono::hours(48)};
        full->state->applyQuota({window, std::nullopt, std::nullopt}, host_.clock().now());
    };
    observe();
    EXPECT_TRUE(planner_.plan(pool_, {"m"}, {}, 0, 3).order.empty());
    host_.fakeClock().advance(std::chrono::minutes(16));  // past the 15-minute freshness
    EXPECT_EQ(ids(planner_.plan(pool_, {"m"}, {}, 0, 3)), std::vector<std::string>{"full"});
    observe();
    EXPECT_TRUE(planner_.plan(pool_, {"m"}, {}, 0, 3).order.empty());
}

TEST_F(RoutePlannerTest, OffersOnlyTheLiveFieldsAStrategyReads) {
    auto a = account("a");
    a->state->in_flight = 4;
    a->state->recordSuccess(host_.clock().now(), std::chrono::milliseconds(80));
    const auto seen = [&](std::shared_ptr<sdk::RoutingStrategy> strategy) {
        pool_.strategy = std::move(strategy);
        planner_.plan(pool_, {"m"}, {}, 0, 3);
        const auto* recorder = dynamic_cast<Recorder*>(pool_.strategy.get());
        return recorder != nullptr ? recorder->seen.at(0) : sdk::Candidate{};
    };

    const sdk::Candidate none = seen(std::make_shared<Recorder>(sdk::LiveFields{}));
    EXPECT_EQ(none.id, "a");
    EXPECT_EQ(none.in_flight, 0U);
    EXPECT_EQ(none.last_success, sdk::TimePoint{});
    EXPECT_EQ(none.ewma_latency_ms, 0.0);

    const sdk::Candidate load =
        seen(std::make_shared<Recorder>(sdk::LiveFields{.in_flight = true}));
    EXPECT_EQ(load.in_flight, 4U);
    EXPECT_EQ(load.last_success, sdk::TimePoint{});

    const sdk::Candidate all = seen(std::make_shared<Recorder>(sdk::kAllLiveFields));
    EXPECT_EQ(all.in_flight, 4U);
    EXPECT_EQ(all.last_success, host_.clock().now());
    EXPECT_EQ(all.ewma_latency_ms, 80.0);
}

TEST_F(RoutePlannerTest, AStrategyThatDeclaresNothingGetsEveryLiveField) {
    auto a = account("a");
    a->state->in_flight = 2;
    // ListOrder does not derive from ReadsLiveFields: the set must say so.
    planner_.plan(pool_, {"m"}, {}, 0, 3);
    const auto set = pool_.eligible->current(pool_, host_.clock().now());
    EXPECT_TRUE(set->live_fields.in_flight && set->live_fields.quota &&
                set->live_fields.last_success && set->live_fields.ewma_latency);
}

}  // namespace
}  // namespace sluice::core::routing
