#include "core/cli/client_snippet.hpp"

#include <gtest/gtest.h>

namespace sluice::core::cli {
namespace {

config::Pipeline pipelineListeningOn(std::string host, std::uint16_t port) {
    config::Pipeline pipeline;
    pipeline.server.listen_host = std::move(host);
    pipeline.server.listen_port = port;
    pipeline.routes = {{"openai_v1", "/v1", nullptr},
                       {"codex_backend", "/backend-api/codex", nullptr}};
    return pipeline;
}

TEST(ClientSnippetTest, PointsTheCodexCliAtTheCodexBackendMount) {
    const auto snippet = codexClientSnippet(pipelineListeningOn("127.0.0.1", 4000), std::nullopt);
    ASSERT_TRUE(snippet.has_value());
    EXPECT_EQ(snippet->base_url, "http://127.0.0.1:4000/backend-api/codex");
    EXPECT_EQ(snippet->env_key, "SLUICE_API_KEY");
    EXPECT_EQ(snippet->config_toml,
              "model_provider = \"sluice\"\n\n[model_providers.sluice]\nname = \"sluice\"\n"
              "base_url = \"http://127.0.0.1:4000/backend-api/codex\"\n"
              "env_key = \"SLUICE_API_KEY\"\nwire_api = \"responses\"\n");
}

TEST(ClientSnippetTest, WildcardListenAddressesBecomeLoopback) {
    EXPECT_EQ(codexClientSnippet(pipelineListeningOn("0.0.0.0", 4000), std::nullopt)->base_url,
              "http://127.0.0.1:4000/backend-api/codex");
    EXPECT_EQ(codexClientSnippet(pipelineListeningOn("::", 4000), std::nullopt)->base_url,
              "http://[::1]:4000/backend-api/codex");
    EXPECT_EQ(codexClientSnippet(pipelineListeningOn("::1", 8080), std::nullopt)->base_url,
              "http://[::1]:8080/backend-api/codex");
}

TEST(ClientSnippetTest, AGivenGatewayUrlReplacesTheListenAddress) {
    EXPECT_EQ(codexClientSnippet(pipelineListeningOn("0.0.0.0", 4000),
                                 std::string("https://gw.example.test/"))
                  ->base_url,
              "https://gw.example.test/backend-api/codex");
}

TEST(ClientSnippetTest, NoCodexBackendRouteNoSnippet) {
    config::Pipeline pipeline = pipelineListeningOn("127.0.0.1", 4000);
    pipeline.routes.pop_back();
    EXPECT_FALSE(codexClientSnippet(pipeline, std::nullopt).has_value());
}

TEST(ClientSnippetTest, OnlyBareOriginsAreGatewayUrls) {
    EXPECT_TRUE(isGatewayOrigin("http://127.0.0.1:4000"));
    EXPECT_TRUE(isGatewayOrigin("https://gw.example.test"));
    EXPECT_TRUE(isGatewayOrigin("https://gw.example.test/"));
    EXPECT_FALSE(isGatewayOrigin("gw.example.test"));
    EXPECT_FALSE(isGatewayOrigin("https://"));
    EXPECT_FALSE(isGatewayOrigin("https://gw.example.test/backend-api"));
    EXPECT_FALSE(isGatewayOrigin("https://gw\".example.test"));
    EXPECT_FALSE(isGatewayOrigin("https://gw example.test"));
}

}  // namespace
}  // namespace sluice::core::cli
