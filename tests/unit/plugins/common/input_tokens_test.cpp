#include "sluice/plugins/common/input_tokens.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::common {
namespace {

using json = nlohmann::json;

// Single bytes only: a text costs its byte count, which makes the sums easy to read.
O200kTokenizer bytesOnly() {
    O200kTokenizer::Ranks ranks;
    for (int byte = 0; byte < 256; ++byte) {
        ranks.emplace(std::string(1, static_cast<char>(byte)), byte);
    }
    return O200kTokenizer(std::move(ranks));
}

TEST(InputTokens, CountsTheTextOfInstructionsInputAndToolsWithFraming) {
    const O200kTokenizer tokenizer = bytesOnly();
    const json body{
        {"model", "gpt-5.5"},
        {"instructions", "Be brief."},
        {"input", json::array({{{"type", "message"},
                                {"role", "user"},
                                {"content", json::array({{{"type", "input_text"}, {"text", "hi"}},
                                                         {{"type", "input_image"},
                                                          {"image_url", "data:image/png;base64,AA"},
                                                          {"detail", "auto"}}})}}})},
        {"tools",
         json::array({{{"type", "function"}, {"name", "ls"}, {"parameters", json::object()}}})},
        {"stream", true}};
    // 9 (instructions) + message 4 + text part 4 + 2 + image part 4 + 1600 + tool 4 + 2 + {} 4
    EXPECT_EQ(countInputTokens(body, tokenizer), 9u + 4 + 4 + 2 + 4 + 1600 + 4 + 2 + 4);
}

TEST(InputTokens, IdsAndTagsAreNotText) {
    const O200kTokenizer tokenizer = bytesOnly();
    const json output{{"input", json::array({{{"type", "function_call_output"},
                                              {"call_id", "call_123456789"},
                                              {"output", "done"}}})}};
    EXPECT_EQ(countInputTokens(output, tokenizer), 4u + 4);
    EXPECT_EQ(countInputTokens(json::array(), tokenizer), 0u);
    EXPECT_EQ(countInputTokens(json{{"model", "x"}}, tokenizer), 0u);
}

TEST(InputTokens, TheRanksFileIsOptionalButMustLoadWhenPresent) {
    const sdk::ConfigSchema schema{o200kRanksField()};
    EXPECT_EQ(schema[0].default_value, "/usr/share/sluice/o200k_base.tiktoken");
    const auto missing = sdk::testing::configFromSchema(
        schema, {{"o200k_ranks_path", "/nonexistent/o200k_base.tiktoken"}});
    EXPECT_EQ(loadO200kTokenizer(*missing, "o200k_ranks_path"), nullptr);

    const auto path = std::filesystem::temp_directory_path() /
                      ("sluice_bad_ranks_" + std::to_string(::getpid()) + ".tiktoken");
    std::ofstream(path) << "QQ== 0\nnot a rank line\n";
    const auto broken =
        sdk::testing::configFromSchema(schema, {{"o200k_ranks_path", path.string()}});
    try {
        (void)loadO200kTokenizer(*broken, "o200k_ranks_path");
        ADD_FAILURE() << "a broken ranks file loaded";
    } catch (const sdk::ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("o200k_ranks_path"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find(":2:"), std::string::npos) << error.what();
    }
    std::filesystem::remove(path);

    const sdk::ErrorInfo unavailable = tokenizerUnavailable();
    EXPECT_EQ(unavailable.http_status, 500);
    EXPECT_EQ(unavailable.code, "tokenizer_unavailable");
}

}  // namespace
}  // namespace sluice::plugins::common
