// Per-key admission on the /v1 surface: route-openai dispatches through the host's gateway, so
// a Pool API key's policy limits /v1 requests exactly as it limits the backend surface, and a
// refusal reaches OpenAI clients in the OpenAI error envelope before anything is dispatched.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/openai_v1_support.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions oneAccountWithV1() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-openai"};
    o.extra_routes = {"{ family: openai_v1 }"};
    return o;
}

/// Stores `policy` on the harness key, as `sluice`'s admin operations do, and lets the running
/// gateway see it at once.
void setKeyPolicy(GatewayHarness& harness, const std::string& policy) {
    const auto stored = harness.setKeyPolicy(policy);
    ASSERT_TRUE(stored.ok()) << stored.message();
}

TEST(OpenAiV1LimitsTest, AKeyOverItsRequestRateGetsA429InTheOpenAiEnvelope) {
    GatewayHarness harness(oneAccountWithV1());
    // The pool's model catalog is fetched (and cached) through the gateway too; fetch it before
    // the limit so that the budget below is spent on turns only.
    ASSERT_EQ(harness.request("GET", "/v1/models").status, 200);
    setKeyPolicy(harness, R"({"requests_per_minute": 2})");

    EXPECT_EQ(harness.request("POST", "/v1/chat/completions", chatBody(false).dump()).status, 200);
    EXPECT_EQ(harness.request("POST", "/v1/chat/completions", chatBody(true).dump()).status, 200);
    const int dispatched = harness.modelRequests();

    for (const auto& [path, body] :
         {std::pair<std::string, std::string>{"/v1/chat/completions", chatBody(true).dump()},
          {"/v1/chat/completions", chatBody(false).dump()},
          {"/v1/responses", R"({"model":"gpt-5.5","input":"hi","stream":true})"}}) {
        const HttpReply refused = harness.request("POST", path, body);
        EXPECT_EQ(refused.status, 429) << path << ": " << refused.body;
        EXPECT_EQ(refused.header("content-type"), "application/json")
            << "refused before any stream began";
        EXPECT_NE(refused.header("retry-after"), "");
        const json error = json::parse(refused.body)["error"];
        EXPECT_EQ(error["code"], "rate_limit_exceeded");
        EXPECT_EQ(error["type"], "requests_per_minute");
        EXPECT_TRUE(error["param"].is_null());
    }
    EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 429)
        << "one budget for both surfaces";
    EXPECT_EQ(harness.modelRequests(), dispatched) << "refusals are never dispatched";
}

TEST(OpenAiV1LimitsTest, AKeyLimitedToOtherModelsIsRefusedWithoutDispatch) {
    GatewayHarness harness(oneAccountWithV1());
    setKeyPolicy(harness, R"({"allowed_models": ["gpt-6-sol"]})");

    const HttpReply refused =
        harness.request("POST", "/v1/chat/completions", chatBody(false).dump());
    EXPECT_EQ(refused.status, 403) << refused.body;
    const json error = json::parse(refused.body)["error"];
    EXPECT_EQ(error["type"], "permission_error");
    EXPECT_EQ(error["code"], "model_not_allowed");
    EXPECT_EQ(harness.modelRequests(), 0);

    const HttpReply allowed =
        harness.request("POST", "/v1/responses", R"({"model":"gpt-6-sol","input":"hi"})");
    EXPECT_EQ(allowed.status, 200) << allowed.body;
    EXPECT_EQ(harness.modelRequests(), 1);
}

TEST(OpenAiV1LimitsTest, AKeyAtItsStreamLimitCannotOpenAnotherStream) {
    HarnessOptions options = oneAccountWithV1();
    options.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: slow, delay: 800ms } "
        "}\n";
    GatewayHarness harness(options);
    ASSERT_EQ(harness.request("GET", "/v1/models").status, 200);
    setKeyPolicy(harness, R"({"max_concurrent_streams": 1})");

    auto running = std::async(std::launch::async, [&] {
        return harness.request("POST", "/v1/chat/completions", chatBody(true).dump());
    });
    HttpReply refused;
    for (int attempt = 0; attempt < 100 && refused.status != 429; ++attempt) {
        if (harness.modelRequests() ==
            1) {  // recorded before its slow first byte: it holds the slot
            refused = harness.request("POST", "/v1/chat/completions", chatBody(true).dump());
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(json::parse(refused.body)["error"]["type"], "concurrent_streams");
    EXPECT_EQ(running.get().status, 200);
    EXPECT_EQ(harness.request("POST", "/v1/chat/completions", chatBody(true).dump()).status, 200)
        << "the slot is free again";
}

}  // namespace
}  // namespace sluice::integration
