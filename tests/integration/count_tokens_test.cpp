// The count_tokens endpoints of both surfaces in the gateway: answered locally by the o200k_base
// tokenizer loaded from the configured ranks file (here a small one, so the counts can be
// worked out by hand), never dispatched; without the file, a typed error in each envelope.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

// Single bytes (ranks 0-255) and the merges he, ll, llo, hello, as a .tiktoken file.
std::filesystem::path writeRanks() {
    const auto path = std::filesystem::temp_directory_path() /
                      ("sluice_count_tokens_" + std::to_string(::getpid()) + ".tiktoken");
    static const char* kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::ofstream out(path);
    for (int byte = 0; byte < 256; ++byte) {
        out << kAlphabet[byte >> 2] << kAlphabet[(byte & 3) << 4] << "== " << byte << "\n";
    }
    out << "aGU= 256\nbGw= 257\nbGxv 258\naGVsbG8= 259\n";
    return path;
}

HarnessOptions withBoth(const std::string& ranks_path) {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-openai", "route-anthropic"};
    o.extra_routes = {
        "{ family: openai_v1, config: { o200k_ranks_path: '" + ranks_path + "' } }",
        "{ family: anthropic_messages, config: { o200k_ranks_path: '" + ranks_path + "' } }"};
    return o;
}

std::uint64_t counted(GatewayHarness& harness, const std::string& path, const json& body) {
    const HttpReply reply = harness.request("POST", path, body.dump());
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json::parse(reply.body, nullptr, false).value("input_tokens", 0);
}

TEST(CountTokensTest, BothSurfacesCountWithTheConfiguredRanksAndNeverDispatch) {
    const auto ranks = writeRanks();
    GatewayHarness harness(withBoth(ranks.string()));

    // "hello" is one token; a message and its text part are 4 tokens of framing each.
    const HttpReply reply = harness.request("POST", "/v1/responses/input_tokens",
                                            json{{"model", "gpt-5.5"}, {"input", "hello"}}.dump());
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(json::parse(reply.body),
              (json{{"object", "response.input_tokens"}, {"input_tokens", 9}}));
    // " hello" merges he, ll, llo, then hello: a space and one token more.
    EXPECT_EQ(counted(harness, "/v1/responses/count_tokens", {{"input", "hello hello"}}), 11u);

    const auto message = [](const std::string& text) {
        return json{{"model", "claude-sonnet-4-5"},
                    {"messages", {{{"role", "user"}, {"content", text}}}}};
    };
    const std::uint64_t one = counted(harness, "/v1/messages/count_tokens", message("hello"));
    EXPECT_EQ(counted(harness, "/v1/messages/count_tokens", message("hello hello")), one + 2);
    EXPECT_EQ(counted(harness, "/v1/messages/count_tokens", message("hellx")), one + 2)
        << "he, ll, x: no merge reaches a longer token";
    EXPECT_EQ(harness.modelRequests(), 0);
    std::filesystem::remove(ranks);
}

TEST(CountTokensTest, WithoutTheRanksFileEachSurfaceAnswersItsTypedError) {
    GatewayHarness harness(withBoth("/nonexistent/sluice/o200k_base.tiktoken"));
    const HttpReply openai =
        harness.request("POST", "/v1/responses/input_tokens", R"({"input":"hello"})");
    EXPECT_EQ(openai.status, 500);
    EXPECT_EQ(json::parse(openai.body)["error"]["code"], "tokenizer_unavailable");

    const HttpReply anthropic = harness.request(
        "POST", "/v1/messages/count_tokens",
        R"({"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(anthropic.status, 500);
    const json body = json::parse(anthropic.body);
    EXPECT_EQ(body["type"], "error");
    EXPECT_EQ(body["error"]["type"], "api_error");
    EXPECT_EQ(harness.modelRequests(), 0);
}

}  // namespace
}  // namespace sluice::integration
