#include "server_requests.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_appserver {
namespace {

using json = nlohmann::json;

json approval(int rpc_id, const std::string& thread) {
    return {{"id", rpc_id},
            {"method", "item/commandExecution/requestApproval"},
            {"params", {{"threadId", thread}, {"turnId", "turn-1"}, {"command", "ls"}}}};
}

sdk::TimePoint at(int seconds) {
    return sdk::TimePoint(std::chrono::seconds(seconds));
}

TEST(ServerRequestsTest, RecordsWhatTheAppServerAskedUnderOurOwnId) {
    ServerRequests requests;
    const PendingRequest added = requests.add("req_1", "k1", approval(0, "t1"), at(10));
    EXPECT_EQ(added.thread_id, "t1");
    EXPECT_EQ(added.turn_id, "turn-1");
    const json shown = added.toJson();
    EXPECT_EQ(shown["requestId"], "req_1");
    EXPECT_EQ(shown["rpcId"], 0);
    EXPECT_EQ(shown["receivedAt"], 10);
    EXPECT_EQ(shown["params"]["command"], "ls");
}

TEST(ServerRequestsTest, TakeAnswersOnceAndRestorePutsBack) {
    ServerRequests requests;
    requests.add("req_1", "k1", approval(0, "t1"), at(1));
    auto taken = requests.take("req_1");
    ASSERT_TRUE(taken);
    EXPECT_FALSE(requests.take("req_1"));
    requests.restore(*taken);
    EXPECT_TRUE(requests.take("req_1"));
}

TEST(ServerRequestsTest, ListsFilterByOwnerAndThreadOldestFirst) {
    ServerRequests requests;
    requests.add("req_b", "k1", approval(1, "t1"), at(2));
    requests.add("req_a", "k1", approval(0, "t2"), at(1));
    requests.add("req_c", "k2", approval(0, "t1"), at(3));
    EXPECT_EQ(requests.list("", "").size(), 3U);
    EXPECT_EQ(requests.list("", "")[0].id, "req_a");
    EXPECT_EQ(requests.list("k1", "").size(), 2U);
    const auto k1t1 = requests.list("k1", "t1");
    ASSERT_EQ(k1t1.size(), 1U);
    EXPECT_EQ(k1t1[0].id, "req_b");
}

TEST(ServerRequestsTest, ResolvedAndExitsClearOnlyTheirOwnersRequests) {
    ServerRequests requests;
    requests.add("req_1", "k1", approval(0, "t1"), at(1));
    requests.add("req_2", "k2", approval(0, "t9"), at(1));  // same rpc id, another process
    requests.resolved("k1", json(0));
    EXPECT_EQ(requests.size(), 1U);
    EXPECT_TRUE(requests.list("k2", "").size() == 1U);
    requests.add("req_3", "k1", approval(5, "t1"), at(2));
    const auto dropped = requests.dropOwner("k1");
    ASSERT_EQ(dropped.size(), 1U);
    EXPECT_EQ(dropped[0].id, "req_3");
    EXPECT_EQ(requests.size(), 1U);
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
