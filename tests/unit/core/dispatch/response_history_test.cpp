#include "core/dispatch/response_history.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

using json = nlohmann::json;

TEST(ResponseHistoryTest, KeepsAHistoryByPoolAndResponseId) {
    ResponseHistory history({10, 1000});
    history.remember("team", "resp_1", json::array({"a", "b"}), 20);
    const auto kept = history.lookup("team", "resp_1");
    ASSERT_NE(kept.items, nullptr);
    EXPECT_EQ(kept.items->size(), 2u);
    EXPECT_EQ(kept.bytes, 20u);
    EXPECT_EQ(history.lookup("night", "resp_1").items, nullptr);
    EXPECT_EQ(history.lookup("team", "resp_2").items, nullptr);
}

TEST(ResponseHistoryTest, EvictsTheOldestPastTheEntryBound) {
    ResponseHistory history({2, 1000});
    history.remember("team", "r1", json::array(), 1);
    history.remember("team", "r2", json::array(), 1);
    history.remember("team", "r3", json::array(), 1);
    EXPECT_EQ(history.lookup("team", "r1").items, nullptr);
    EXPECT_NE(history.lookup("team", "r2").items, nullptr);
    EXPECT_NE(history.lookup("team", "r3").items, nullptr);
}

TEST(ResponseHistoryTest, EvictsTheOldestPastTheByteBoundAndNeverKeepsTooLargeAHistory) {
    ResponseHistory history({10, 100});
    history.remember("team", "r1", json::array(), 60);
    history.remember("team", "r2", json::array(), 30);
    history.remember("team", "r3", json::array(), 30);
    EXPECT_EQ(history.lookup("team", "r1").items, nullptr);
    EXPECT_NE(history.lookup("team", "r2").items, nullptr);
    history.remember("team", "huge", json::array(), 101);
    EXPECT_EQ(history.lookup("team", "huge").items, nullptr);
    EXPECT_NE(history.lookup("team", "r3").items, nullptr);
}

TEST(ResponseHistoryTest, ARememberedIdIsReplacedNotCountedTwice) {
    ResponseHistory history({2, 100});
    history.remember("team", "r1", json::array({1}), 50);
    history.remember("team", "r1", json::array({1, 2}), 50);
    history.remember("team", "r2", json::array(), 50);
    EXPECT_EQ(history.lookup("team", "r1").items->size(), 2u);
    EXPECT_NE(history.lookup("team", "r2").items, nullptr);
}

TEST(ResponseHistoryTest, KeepsNothingWithoutEntries) {
    ResponseHistory history({0, 100});
    history.remember("team", "r1", json::array(), 1);
    EXPECT_EQ(history.lookup("team", "r1").items, nullptr);
}

}  // namespace
}  // namespace sluice::core::dispatch
