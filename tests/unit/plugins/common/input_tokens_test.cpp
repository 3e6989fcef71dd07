#include "sluice/plugins/common/input_tokens.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sluice::plugins::common
