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
        for (std::uint32_t i = 0; i < context.candidate_count && out.size() < context.limit + 3; ++i) {
            out.push_back(i);
        }
    }
    void onOutcome(const sdk::Outcome&) noexcept override {}

private:
    bool misbehave_;
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
    blocked->state->applyQuota({std::nullopt, std::nullopt, host_.clock().now() + std::chrono::hours(1)},
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
        ASSERT_TRUE(a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream, host_.clock().steadyNow()));
        a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, false, host_.clock().steadyNow());
    }
    EXPECT_TRUE(planner_.plan(pool_, {"m1", sdk::RouteClass::ProxyStream}, {}, 0, 3).order.empty());
    EXPECT_EQ(ids(planner_.plan(pool_, {"m2", sdk::RouteClass::ProxyStream}, {}, 0, 3)),
              std::vector<std::string>{"a"});
}

TEST_F(RoutePlannerTest, AnAccountReturnsWhenItsCircuitClosesAgain) {
    auto a = account("a");
    const RouteQuery query{"m1", sdk::RouteClass::ProxyStream};
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream, host_.clock().steadyNow()));
        a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, false, host_.clock().steadyNow());
    }
    ASSERT_TRUE(planner_.plan(pool_, query, {}, 0, 3).order.empty());
    host_.fakeClock().advance(std::chrono::seconds(61));
    // Open past its time: admitted for one probe, which succeeds and closes the circuit.
    ASSERT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), std::vector<std::string>{"a"});
    ASSERT_TRUE(a->state->circuitAcquire("m1", sdk::RouteClass::ProxyStream, host_.clock().steadyNow()));
    EXPECT_TRUE(planner_.plan(pool_, query, {}, 0, 3).order.empty()) << "one probe at a time";
    a->state->circuitSettle("m1", sdk::RouteClass::ProxyStream, true, host_.clock().steadyNow());
    EXPECT_EQ(ids(planner_.plan(pool_, query, {}, 0, 3)), std::vector<std::string>{"a"});
    EXPECT_EQ(a->state->circuits().front().state, CircuitState::Closed);
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

}  // namespace
}  // namespace sluice::core::routing
