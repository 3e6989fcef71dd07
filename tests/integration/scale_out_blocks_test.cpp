// Usage-limit blocks across replicas (issue 18): an account one replica found exhausted is not
// tried by the others before its reset.

#include "tests/integration/scale_out_fixture.hpp"

namespace sluice::integration {
namespace {

class ScaleOutBlocksTest : public ScaleOutTest {
protected:
    /// Imports the emulator's account `id` into `pool`; returns its id in the gateway.
    std::string import(const std::string& pool, const std::string& id) {
        std::ofstream(dir_.path() / (id + ".json"))
            << R"({"tokens":{"access_token":"tok-)" << id.substr(5)
            << R"(","refresh_token":"rt","account_id":")" << id << R"("}})";
        return ok({"account", "import", "--pool", pool, "--auth-json", id + ".json", "--label",
                   id})["id"];
    }
    /// Model requests the emulator received for `account`.
    std::size_t turnsOn(const std::string& account) {
        return emulator_.recorder().snapshot(account, "/backend-api/codex/responses").size();
    }
    /// Whether `replica` holds the account blocked for its usage limit.
    bool usageLimited(std::size_t replica, const std::string& account_id) {
        std::string answer;
        call(replica, "GET", "/admin/api/v1/accounts/" + account_id, admin_, "", answer);
        const json view = json::parse(answer, nullptr, false);
        return view.is_object() && !view.value("usage_limited_until", json()).is_null();
    }
};

TEST_F(ScaleOutBlocksTest, AnAccountExhaustedThroughOneReplicaIsNotTriedByTheOthersUntilItsReset) {
    ok({"pool", "create", "--name", "quota", "--strategy", "rotate"});
    const std::string exhausted = import("quota", "acct-x");  // 429 usage_limit_reached, 4 s
    import("quota", "acct-c");
    const IssuedKey key = createKey("quota", "quota");
    startReplicas();

    // Round robin over two accounts: replica 0 meets the usage limit within two turns, and its
    // turn fails over to the other account.
    for (int i = 0; i < 2 && turnsOn("acct-x") == 0; ++i) {
        ASSERT_EQ(turn(0, key.key), 200);
    }
    ASSERT_EQ(turnsOn("acct-x"), 1u);
    const auto blocked_at = Clock::now();
    for (std::size_t other = 1; other < kReplicas; ++other) {
        ASSERT_TRUE(eventually(2s, [&] { return usageLimited(other, exhausted); }))
            << "replica " << other << " did not hear of the block";
    }
    // Left to themselves, both would try it within their first two turns.
    for (std::size_t other = 1; other < kReplicas; ++other) {
        for (int i = 0; i < 4; ++i) {
            ASSERT_EQ(turn(other, key.key), 200);
        }
    }
    ASSERT_LT(Clock::now() - blocked_at, 3s) << "too slow to tell whether the block held";
    EXPECT_EQ(turnsOn("acct-x"), 1u) << "another replica tried the exhausted account";

    // After the reset the others try it again.
    ASSERT_TRUE(eventually(8s, [&] { return !usageLimited(1, exhausted); }));
    for (int i = 0; i < 2 && turnsOn("acct-x") == 1; ++i) {
        ASSERT_EQ(turn(1, key.key), 200);
    }
    EXPECT_EQ(turnsOn("acct-x"), 2u);
}

}  // namespace
}  // namespace sluice::integration
