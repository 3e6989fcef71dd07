// Built-in endpoints and shutdown: health, readiness, metrics, and draining open streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <thread>

#include "core/control/pool_service.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

HarnessOptions slowStreams() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal, deltas: 8, event_delay: 150ms } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    return o;
}

TEST(GatewayLifecycleTest, ServesHealthReadinessAndPrometheusMetricsWithoutCredentials) {
    GatewayHarness harness(slowStreams());
    const HttpReply health = harness.request("GET", "/healthz", "", {}, false);
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    EXPECT_EQ(harness.request("GET", "/readyz", "", {}, false).status, 200);
    const HttpReply metrics = harness.request("GET", "/metrics", "", {}, false);
    EXPECT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0), 0U);
    EXPECT_NE(metrics.body.find("# TYPE sluice_http_requests_total counter"), std::string::npos);
    EXPECT_EQ(harness.request("POST", "/healthz", "", {}, false).status, 405);
}

TEST(GatewayLifecycleTest, ShutdownDrainsAnOpenStreamToItsEnd) {
    GatewayHarness harness(slowStreams());
    auto stream = std::async(std::launch::async, [&] { return harness.postResponses(GatewayHarness::turnBody()); });
    // Wait until the stream is being relayed, then stop the gateway under it.
    for (int i = 0; i < 200 && harness.recorded().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_FALSE(harness.recorded().empty());
    harness.gateway().stop();
    const HttpReply reply = stream.get();
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("\"type\":\"response.completed\""), std::string::npos);
    EXPECT_THROW(harness.request("GET", "/healthz", "", {}, false), Poco::Exception);
}

TEST(GatewayLifecycleTest, ReloadAppliesNewPoolsWithoutDroppingAnOpenStream) {
    GatewayHarness harness(slowStreams());
    auto stream = std::async(std::launch::async, [&] { return harness.postResponses(GatewayHarness::turnBody()); });
    for (int i = 0; i < 200 && harness.recorded().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    HarnessOptions changed = slowStreams();
    changed.extra_pools_yaml = "night: { strategy: main, ring_size: 1 }";
    EXPECT_TRUE(harness.reload(changed).empty());
    const HttpReply reply = stream.get();
    EXPECT_NE(reply.body.find("\"type\":\"response.completed\""), std::string::npos);
    EXPECT_NE(harness.gateway().directory().snapshot()->findPool("night"), nullptr);
    EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
}

TEST(GatewayLifecycleTest, OperatorChangesAfterAReloadSeeTheReloadedPipeline) {
    GatewayHarness harness(slowStreams());
    HarnessOptions changed = slowStreams();
    changed.extra_pools_yaml = "night: { strategy: main, ring_size: 1 }";
    ASSERT_TRUE(harness.reload(changed).empty());
    core::control::PoolService pools(harness.control());
    const auto listed = pools.list();
    ASSERT_TRUE(listed.ok());
    const bool declared = std::any_of(listed->begin(), listed->end(), [](const auto& entry) {
        return entry.name == "night" && entry.source == core::runtime::PoolSource::Pipeline;
    });
    EXPECT_TRUE(declared) << "pools.list shows the reloaded declaration";
    core::control::PoolSpec clash;
    clash.name = "night";
    EXPECT_EQ(pools.create(clash, "test").status().code(), sdk::StatusCode::AlreadyExists)
        << "a declared pool of the reloaded pipeline cannot be created in storage";
}

TEST(GatewayLifecycleTest, ABrokenReloadIsRefusedAndTheGatewayKeepsServing) {
    GatewayHarness harness(slowStreams());
    const auto issues = harness.reloadText("version: 1\nstrategies: { main: { type: nonexistent } }\n");
    EXPECT_FALSE(issues.empty());
    EXPECT_TRUE(harness.gatewayLogShows("reload_refused"));
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
    EXPECT_EQ(harness.gateway().directory().snapshot()->findPool("team")->strategy, "main");
}

}  // namespace
}  // namespace sluice::integration
