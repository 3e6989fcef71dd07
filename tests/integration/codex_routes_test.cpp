// The Codex backend surface's routes (route-codex) against the emulator: every route also under
// /v1, and model requests checked against the pool's catalog before any dispatch.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

TEST(CodexRoutesTest, EveryRouteIsAlsoServedUnderV1) {
    GatewayHarness harness(GatewayHarness::twoAccounts());
    const std::string turn = GatewayHarness::turnBody();
    const std::tuple<std::string, std::string, std::string> routes[] = {
        {"GET", "/models", ""},
        {"POST", "/responses", turn},
        {"POST", "/responses/compact", R"({"model":"gpt-5.5","input":[]})"},
        {"POST", "/images/generations", R"({"prompt":"a fox"})"},
        {"POST", "/images/edits", R"({"prompt":"a fox"})"},
        {"GET", "/thread/goal/get", ""},
        {"POST", "/thread/goal/get", "{}"},
        {"POST", "/thread/goal/set", "{}"},
        {"POST", "/thread/goal/clear", "{}"},
        {"POST", "/analytics-events/events", R"({"events":[]})"},
        {"POST", "/memories/trace_summarize", "{}"},
        {"POST", "/alpha/search", "{}"},
        {"POST", "/safety/arc", "{}"},
        {"GET", "/agent-identities/jwks", ""},
        {"POST", "/realtime/calls", "v=0"},
    };
    for (const auto& [method, path, body] : routes) {
        const HttpReply reply = harness.request(method, "/backend-api/codex/v1" + path, body);
        EXPECT_FALSE(harness.recordedAt("/backend-api/codex" + path).empty())
            << method << " /v1" << path << " reached the upstream's plain route (" << reply.status
            << " " << reply.body << ")";
    }
    const HttpReply keys = harness.request("GET", "/backend-api/codex/v1/agent-identities/jwks");
    ASSERT_EQ(keys.status, 200) << keys.body;
    EXPECT_EQ(json::parse(keys.body)["keys"][0]["kty"], "OKP");
}

TEST(CodexRoutesTest, AModelOutsideThePoolsCatalogIsRefusedBeforeDispatch) {
    GatewayHarness harness(GatewayHarness::twoAccounts());
    for (const std::string path :
         {"/backend-api/codex/responses", "/backend-api/codex/v1/responses",
          "/backend-api/codex/responses/compact"}) {
        const HttpReply refused =
            harness.request("POST", path, R"({"model":"gpt-9","stream":true,"input":[]})");
        EXPECT_EQ(refused.status, 400) << path << " " << refused.body;
        const json error = json::parse(refused.body, nullptr, false)["error"];
        EXPECT_EQ(error["type"], "invalid_request_error") << path;
        EXPECT_EQ(error["code"], "model_not_available") << path;
        EXPECT_EQ(error["param"], "model") << path;
    }
    EXPECT_EQ(harness.modelRequests(), 0);
    EXPECT_EQ(harness.recordedAt("/backend-api/codex/models").size(), 1U)
        << "one catalog fetch, cached";

    EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
    EXPECT_EQ(harness.postResponses(R"({"model":"gpt-6-sol","stream":true,"input":[]})").status,
              200);
    EXPECT_EQ(harness.modelRequests(), 2);
}

TEST(CodexRoutesTest, TheUpstreamPrefixIsTheOneTheHostDeclares) {
    HarnessOptions options = GatewayHarness::twoAccounts();
    options.upstream_yaml = "codex_path: /moved/codex/";  // its trailing '/' is not doubled
    GatewayHarness harness(options);
    harness.request("GET", "/backend-api/codex/models");
    EXPECT_FALSE(harness.recordedAt("/moved/codex/models").empty())
        << "the catalog is fetched under upstream.codex_path";
    EXPECT_TRUE(harness.recordedAt("/backend-api/codex/models").empty());
}

}  // namespace
}  // namespace sluice::integration
