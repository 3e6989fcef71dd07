// Looking for the account of a WHAM id nobody remembers costs a bounded number of upstream
// calls, and an id no account had is not looked for again at once (issue 22.12). On 127.0.0.1.
#include <gtest/gtest.h>

#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

// Five emulated accounts (each owning task_e_<id> from the start) with the backend_api family.
HarnessOptions fiveAccounts(const std::string& family_config) {
    HarnessOptions options;
    options.emulator_script = "accounts:\n";
    for (const char* id : {"acct-a", "acct-b", "acct-c", "acct-d", "acct-e"}) {
        const std::string token = std::string("tok-") + id;
        options.emulator_script +=
            std::string("  - { id: ") + id + ", access_token: " + token + " }\n";
        options.accounts.emplace_back(id, token);
    }
    options.plugins = {"route-backend"};
    options.extra_routes = {"{ family: backend_api, config: " + family_config + " }"};
    return options;
}

TEST(BackendOwnerProbeTest, AMissingTaskCostsAtMostTheLimitOnceThenNothing) {
    GatewayHarness harness(fiveAccounts("{ owner_probe_limit: 2 }"));
    const std::string path = "/backend-api/wham/tasks/task_e_nobody";
    const HttpReply first = harness.request("GET", path);
    EXPECT_EQ(first.status, 404);
    EXPECT_EQ(jsonOf(first)["error"]["code"], "task_not_found");
    const std::size_t probes = harness.recordedAt(path).size();
    EXPECT_GE(probes, 1U);
    EXPECT_LE(probes, 2U);

    const HttpReply second = harness.request("GET", path);
    EXPECT_EQ(second.status, 404);
    EXPECT_EQ(jsonOf(second)["error"]["code"], "task_not_found");
    EXPECT_EQ(harness.recordedAt(path).size(), probes) << "the miss is remembered";

    // A task on an account within the limit is still found, and its owner remembered.
    const HttpReply owned = harness.request("GET", "/backend-api/wham/tasks/task_e_acct_b");
    ASSERT_EQ(owned.status, 200) << owned.body;
    EXPECT_EQ(jsonOf(owned)["task"]["id"], "task_e_acct_b");
    harness.request("GET", "/backend-api/wham/tasks/task_e_acct_b");
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/tasks/task_e_acct_b"),
              (std::vector<std::string>{"acct-a", "acct-b", "acct-b", "acct-b"}))
        << "two probes, then both reads on the owner";
}

TEST(BackendOwnerProbeTest, MissingEnvironmentsAreBoundedByTheDefaultLimit) {
    GatewayHarness harness(fiveAccounts("{}"));
    const std::string path = "/backend-api/wham/environments/env-nobody";
    for (int i = 0; i < 3; ++i) {
        const HttpReply missing = harness.request("GET", path);
        EXPECT_EQ(missing.status, 404);
        EXPECT_EQ(jsonOf(missing)["error"]["code"], "environment_not_found");
    }
    EXPECT_GE(harness.recordedAt(path).size(), 1U);
    EXPECT_LE(harness.recordedAt(path).size(), 4U);
}

}  // namespace
}  // namespace sluice::integration
