// Image generation in Responses: a request that offers the image_generation tool is answered
// with one image_generation_call item carrying a small base64 PNG, streamed or not.
#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kImagesScript = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";

nlohmann::json imageTurn(bool stream) {
    return {{"model", "gpt-5.5"},
            {"stream", stream},
            {"input", {{{"role", "user"}, {"content", "draw a cat"}}}},
            {"tools", {{{"type", "image_generation"}, {"size", "1024x1024"}}}},
            {"tool_choice", {{"type", "image_generation"}}}};
}

class ImagesTest : public EmulatorTest {};

TEST_F(ImagesTest, AStreamedTurnWithTheImageToolEndsWithAnImageItem) {
    startWith(kImagesScript);
    const auto reply = postResponses(imageTurn(true));
    ASSERT_EQ(reply.status, 200);
    const auto events = parseSse(reply.body);
    const auto types = eventTypes(events);
    ASSERT_GE(types.size(), 4u);
    EXPECT_EQ(types.front(), "response.created");
    EXPECT_EQ(types.back(), "response.completed");
    const auto done = std::find(types.begin(), types.end(), "response.output_item.done");
    ASSERT_NE(done, types.end());
    const auto& item = events[static_cast<std::size_t>(done - types.begin())]["item"];
    EXPECT_EQ(item["type"], "image_generation_call");
    EXPECT_EQ(item["status"], "completed");
    const std::string png = item["result"];
    EXPECT_EQ(png.rfind("iVBORw0KGgo", 0), 0u) << "base64 of the PNG signature";
    EXPECT_EQ(events.back()["response"]["output"][0]["type"], "image_generation_call");
}

TEST_F(ImagesTest, ANonStreamedTurnReturnsTheImageInItsOutput) {
    startWith(kImagesScript);
    const auto reply = postResponses(imageTurn(false));
    ASSERT_EQ(reply.status, 200);
    const auto output = reply.json()["output"];
    ASSERT_EQ(output.size(), 1u);
    EXPECT_EQ(output[0]["type"], "image_generation_call");
    EXPECT_FALSE(output[0]["result"].get<std::string>().empty());
}

TEST_F(ImagesTest, WithoutTheToolTheAnswerIsText) {
    startWith(kImagesScript);
    auto turn = imageTurn(false);
    turn.erase("tools");
    EXPECT_EQ(postResponses(turn).json()["output"][0]["type"], "message");
}

}  // namespace
}  // namespace sluice::emulator::testing
