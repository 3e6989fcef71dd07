// Built-in endpoints and shutdown: health, readiness, metrics, and draining open streams.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <thread>

#include "core/control/pool_service.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

HarnessOptions slowStreams() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal, deltas: 8, "
        "event_delay: 150ms } }\n";
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

// The metric names the operator guide lists under `GET /metrics`, `a_{b,c}_d` spelled out.
std::vector<std::string> documentedSeries() {
    std::ifstream file(std::string(SLUICE_SOURCE_DIR) + "/docs/operator-guide.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string guide = text.str();
    const std::size_t start = guide.find("- `GET /metrics`");
    const std::string item = guide.substr(start, guide.find("\n- ", start + 1) - start);
    std::vector<std::string> names;
    const std::regex name("`(sluice_[a-z_]*)(?:\\{([a-z_,]+)\\}([a-z_]+))?");
    for (auto it = std::sregex_iterator(item.begin(), item.end(), name);
         it != std::sregex_iterator(); ++it) {
        if (!(*it)[2].matched) {
            names.push_back((*it)[1]);
            continue;
        }
        std::stringstream alternatives((*it)[2]);
        for (std::string alternative; std::getline(alternatives, alternative, ',');) {
            names.push_back((*it)[1].str() + alternative + (*it)[3].str());
        }
    }
    return names;
}

TEST(GatewayLifecycleTest, MetricsShowEveryDocumentedSeriesBeforeAnyTraffic) {
    GatewayHarness harness(slowStreams());
    const std::vector<std::string> documented = documentedSeries();
    ASSERT_GE(documented.size(), 12U) << "the guide's list was found";
    const std::string body = harness.request("GET", "/metrics", "", {}, false).body;
    for (const std::string& name : documented) {
        const std::regex series("(^|\n)" + name + "(_bucket|_sum|_count)?(\\{[^}]*\\})? ");
        EXPECT_TRUE(std::regex_search(body, series))
            << name << " has no series on a fresh gateway\n"
            << body;
    }
}

TEST(GatewayLifecycleTest, ShutdownDrainsAnOpenStreamToItsEnd) {
    GatewayHarness harness(slowStreams());
    auto stream = std::async(std::launch::async,
                             [&] { return harness.postResponses(GatewayHarness::turnBody()); });
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

// A request whose head is in but whose body is still arriving is in flight: the drain waits for
// its body and its answer instead of cutting the connection.
TEST(GatewayLifecycleTest, ShutdownWaitsForARequestWhoseBodyIsStillArriving) {
    GatewayHarness harness(slowStreams());
    const std::string body = GatewayHarness::turnBody();
    const std::size_t half = body.size() / 2;
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request("POST", "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    request.setContentType("application/json");
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream& out = session.sendRequest(request);
    out << body.substr(0, half) << std::flush;
    // Wait until its head is admitted (the metrics request counts itself as well).
    const auto inFlight = [&] { return harness.metric("sluice_http_in_flight_requests"); };
    for (int i = 0; i < 200 && inFlight() < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_GE(inFlight(), 2) << "the request reading its body counts as in flight";
    auto stopped = std::async(std::launch::async, [&] { harness.gateway().stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the drain is under way
    out << body.substr(half) << std::flush;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    std::string answer;
    Poco::StreamCopier::copyToString(in, answer);
    stopped.get();
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    EXPECT_NE(answer.find("\"type\":\"response.completed\""), std::string::npos) << answer;
}

TEST(GatewayLifecycleTest, ReloadAppliesNewPoolsWithoutDroppingAnOpenStream) {
    GatewayHarness harness(slowStreams());
    auto stream = std::async(std::launch::async,
                             [&] { return harness.postResponses(GatewayHarness::turnBody()); });
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
    const auto issues =
        harness.reloadText("version: 1\nstrategies: { main: { type: nonexistent } }\n");
    EXPECT_FALSE(issues.empty());
    EXPECT_TRUE(harness.gatewayLogShows("reload_refused"));
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
    EXPECT_EQ(harness.gateway().directory().snapshot()->findPool("team")->strategy, "main");
}

}  // namespace
}  // namespace sluice::integration
