// Issue 18, account bindings across replicas (ADR 0012): the turns of one conversation land on
// one account whichever replica each hits, a `previous_response_id` continuation sent to another
// replica reaches the account that produced the response, and a conversation bound while Redis
// was down settles on one account when it returns.

#include "tests/integration/scale_out_fixture.hpp"

namespace sluice::integration {
namespace {

TEST_F(ScaleOutTest, TheTurnsOfAConversationLandOnOneAccountWhicheverReplicaEachHits) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    for (const std::string conversation : {"conversation-1", "conversation-2"}) {
        std::set<std::string> accounts;
        for (std::size_t i = 0; i < 2 * kReplicas; ++i) {
            std::string answer;
            ASSERT_EQ(turnWith((i + accounts.size()) % kReplicas, key.key, kTurn,
                               {{"session-id", conversation}}, answer),
                      200)
                << answer;
            accounts.insert(lastTurnsAccount());
        }
        EXPECT_EQ(accounts.size(), 1u) << conversation << " was served by several accounts";
    }
    for (std::size_t i = 0; i < kReplicas; ++i) {
        EXPECT_NE(get(i, "/metrics")
                      .find(R"(sluice_affinity_shared_fallbacks_total{kind="conversation"} 0)"),
                  std::string::npos)
            << "replica " << i << " decided a conversation on its own table";
    }
}

TEST_F(ScaleOutTest, AContinuationSentToAnotherReplicaReachesTheAccountThatMadeTheResponse) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    for (std::size_t first = 0; first < kReplicas; ++first) {
        std::string answer;
        ASSERT_EQ(turnWith(first, key.key, kTurn, {}, answer), 200);
        const auto id_at = answer.find(R"("id":")") + 6;
        const std::string response_id = answer.substr(id_at, answer.find('"', id_at) - id_at);
        const std::string owner = lastTurnsAccount();
        const std::string continuation =
            R"({"model":"gpt-5.5","stream":true,"previous_response_id":")" + response_id +
            R"(","input":[]})";
        for (std::size_t next = 1; next < kReplicas; ++next) {
            const std::size_t other = (first + next) % kReplicas;
            ASSERT_EQ(turnWith(other, key.key, continuation, {}, answer), 200) << answer;
            const auto seen = emulator_.recorder().snapshot().back();
            EXPECT_EQ(seen.account_id, owner)
                << response_id << " made on replica " << first << " continued on " << other;
            EXPECT_EQ(seen.previous_response_id, response_id);
        }
    }
}

TEST_F(ScaleOutTest, AConversationBoundWhileRedisWasDownSettlesOnOneAccountWhenItReturns) {
    const IssuedKey key = conversationPool();
    startReplicas();
    skewRotations(key);
    redis_->stop();
    for (std::size_t i = 0; i < kReplicas; ++i) {
        ASSERT_TRUE(eventually(5s, [&] {
            return json::parse(get(i, "/readyz")).value("shared_state", "") == "degraded";
        }));
    }
    // Each replica keeps the conversation on one account of its own meanwhile.
    std::set<std::string> during;
    for (int round = 0; round < 2; ++round) {
        std::string answer;
        ASSERT_EQ(turnWith(0, key.key, kTurn, {{"session-id", "outage"}}, answer), 200);
        during.insert(lastTurnsAccount());
    }
    EXPECT_EQ(during.size(), 1u);

    redis_->start();
    ASSERT_TRUE(eventually(
        5s, [&] { return redis_->subscribers(kChannel) == static_cast<std::int64_t>(kReplicas); }));
    std::set<std::string> after;
    for (std::size_t i = 0; i < 2 * kReplicas; ++i) {
        std::string answer;
        ASSERT_EQ(turnWith((i + 1) % kReplicas, key.key, kTurn, {{"session-id", "outage"}}, answer),
                  200);
        after.insert(lastTurnsAccount());
    }
    EXPECT_EQ(after.size(), 1u) << "the replicas did not agree on the conversation's account";
}

}  // namespace
}  // namespace sluice::integration
