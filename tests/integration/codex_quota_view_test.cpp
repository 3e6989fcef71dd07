// The pool's quota as Codex clients read it (issue 21): x-codex-* headers, codex.rate_limits
// events (SSE and websocket) and /wham/usage show the caller's share of the pool, not the
// numbers of whichever account served; server.quota_view: upstream keeps them raw. On 127.0.0.1.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

// acct-a has used 40% of its 5 h window and 10% of its week, acct-b 80% and 30%.
HarnessOptions twoAccounts(const std::string& quota_view = "pool") {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    websocket: accept\n"
        "    rate_limits:\n"
        "      primary: { used_percent: 40, window_minutes: 300, reset_in: 2h }\n"
        "      secondary: { used_percent: 10, window_minutes: 10080, reset_in: 3d }\n"
        "      stream_event: true\n"
        "  - id: acct-b\n"
        "    access_token: tok-b\n"
        "    websocket: accept\n"
        "    rate_limits:\n"
        "      primary: { used_percent: 80, window_minutes: 300, reset_in: 1h }\n"
        "      secondary: { used_percent: 30, window_minutes: 10080, reset_in: 2d }\n"
        "      stream_event: true\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    // Every answer computes the view afresh, so each shows what the ones before taught.
    o.server_yaml = "quota_view: " + quota_view + ", quota_view_refresh: 0s";
    o.plugins = {"route-backend"};
    o.extra_routes = {"{ family: backend_api }"};
    return o;
}

// One answer from each account teaches the gateway both accounts' windows.
void learnBoth(GatewayHarness& harness) {
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
    }
}

// The codex.rate_limits event of an SSE body, null when there is none.
json rateLimitsEventOf(const std::string& sse) {
    std::size_t at = 0;
    while ((at = sse.find("data: ", at)) != std::string::npos) {
        const std::size_t end = sse.find('\n', at);
        const json event = json::parse(sse.substr(at + 6, end - at - 6), nullptr, false);
        if (event.is_object() && event.value("type", "") == "codex.rate_limits") {
            return event;
        }
        at = end;
    }
    return nullptr;
}

TEST(CodexQuotaViewTest, AnswersCarryThePoolsWindowsWhicheverAccountServed) {
    GatewayHarness harness(twoAccounts());
    learnBoth(harness);
    for (int i = 0; i < 2; ++i) {  // one answer from each account
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        ASSERT_EQ(reply.status, 200);
        EXPECT_EQ(reply.header("x-codex-primary-used-percent"), "60");
        EXPECT_EQ(reply.header("x-codex-primary-window-minutes"), "300");
        EXPECT_EQ(reply.header("x-codex-secondary-used-percent"), "20");
        const json event = rateLimitsEventOf(reply.body);
        ASSERT_TRUE(event.is_object()) << reply.body;
        EXPECT_EQ(event["rate_limits"]["primary"]["used_percent"], 60);
        EXPECT_EQ(event["rate_limits"]["secondary"]["used_percent"], 20);
    }
    const HttpReply usage = harness.request("GET", "/backend-api/wham/usage");
    ASSERT_EQ(usage.status, 200) << usage.body;
    const json payload = json::parse(usage.body);
    EXPECT_EQ(payload["rate_limit"]["primary_window"]["used_percent"], 60);
    EXPECT_EQ(payload["rate_limit"]["secondary_window"]["used_percent"], 20);
    EXPECT_EQ(payload["rate_limit"]["primary_window"]["limit_window_seconds"], 18000);
    EXPECT_EQ(payload["rate_limit"]["allowed"], true);
}

TEST(CodexQuotaViewTest, AKeysOwnBudgetShowsWhenItIsTighterThanThePool) {
    GatewayHarness harness(twoAccounts());
    ASSERT_TRUE(
        harness.setKeyPolicy(R"({"tokens_per_day": 2000, "max_tokens_per_request": 500})").ok());
    learnBoth(harness);  // 1220 tokens each: 2440 of 2000 would refuse; the second is admitted
    const HttpReply usage = harness.request("GET", "/backend-api/wham/usage");
    ASSERT_EQ(usage.status, 200) << usage.body;
    EXPECT_EQ(json::parse(usage.body)["rate_limit"]["primary_window"]["used_percent"], 100)
        << usage.body;
}

TEST(CodexQuotaViewTest, TheUpstreamSwitchKeepsTheServingAccountsNumbers) {
    GatewayHarness harness(twoAccounts("upstream"));
    learnBoth(harness);
    std::set<std::string> seen;
    for (int i = 0; i < 2; ++i) {
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        seen.insert(reply.header("x-codex-primary-used-percent"));
        EXPECT_EQ(rateLimitsEventOf(reply.body)["rate_limits"]["primary"]["reset_at"].is_number(),
                  true);
    }
    EXPECT_EQ(seen, (std::set<std::string>{"40", "80"}));
}

TEST(CodexQuotaViewTest, WebsocketsSeeThePoolInThe101AndInCodexRateLimits) {
    GatewayHarness harness(twoAccounts());
    learnBoth(harness);
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse response;
    Poco::Net::WebSocket socket(session, request, response);
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    EXPECT_EQ(response.get("x-codex-primary-used-percent", ""), "60");
    const std::string create =
        R"({"type":"response.create","model":"gpt-5.5","input":[{"type":"message","role":"user","content":"hi"}]})";
    socket.sendFrame(create.data(), static_cast<int>(create.size()),
                     Poco::Net::WebSocket::FRAME_TEXT);
    json rate_limits;
    while (true) {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        ASSERT_GT(socket.receiveFrame(buffer, flags), 0);
        const json event = json::parse(std::string(buffer.begin(), buffer.size()));
        if (event["type"] == "codex.rate_limits") {
            rate_limits = event;
        }
        if (event["type"] == "response.completed") {
            break;
        }
    }
    ASSERT_TRUE(rate_limits.is_object());
    EXPECT_EQ(rate_limits["rate_limits"]["primary"]["used_percent"], 60);
    EXPECT_EQ(rate_limits["rate_limits"]["secondary"]["used_percent"], 20);
    socket.shutdown();
}

}  // namespace
}  // namespace sluice::integration
