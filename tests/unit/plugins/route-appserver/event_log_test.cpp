#include "event_log.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sluice::plugins::route_appserver {
namespace {

using namespace std::chrono_literals;

const auto kAll = [](const LoggedEvent&) { return true; };

TEST(EventLogTest, ReplaysWhatCameAfterAnIdInOrder) {
    EventLog log(16);
    log.append("k1", "t1", "turn/started", "{}");
    const auto second = log.append("k1", "t1", "item/started", "{}");
    log.append("k2", "t2", "turn/started", "{}");
    const auto after = log.after(1, kAll, 10, 0ms);
    ASSERT_EQ(after.size(), 2U);
    EXPECT_EQ(after[0].id, second);
    EXPECT_EQ(after[1].owner, "k2");
}

TEST(EventLogTest, FiltersAndLimits) {
    EventLog log(16);
    for (int i = 0; i < 5; ++i) {
        log.append("k1", i % 2 == 0 ? "t1" : "t2", "e", "{}");
    }
    const auto t1 = log.after(
        0, [](const LoggedEvent& e) { return e.thread_id == "t1"; }, 2, 0ms);
    ASSERT_EQ(t1.size(), 2U);
    EXPECT_EQ(t1[0].id, 1U);
    EXPECT_EQ(t1[1].id, 3U);
}

TEST(EventLogTest, KeepsOnlyTheNewestCapacityEvents) {
    EventLog log(3);
    for (int i = 0; i < 5; ++i) {
        log.append("k1", "t1", "e", std::to_string(i));
    }
    const auto kept = log.after(0, kAll, 10, 0ms);
    ASSERT_EQ(kept.size(), 3U);
    EXPECT_EQ(kept.front().data, "2");
    EXPECT_EQ(log.lastId(), 5U);
}

TEST(EventLogTest, AWaitingReaderWakesOnAppendAndOnWakeAll) {
    EventLog log(8);
    std::thread writer([&] {
        std::this_thread::sleep_for(50ms);
        log.append("k1", "t1", "late", "{}");
    });
    const auto got = log.after(0, kAll, 10, 5s);
    writer.join();
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].name, "late");

    std::thread waker([&] {
        std::this_thread::sleep_for(50ms);
        log.wakeAll();
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(log.after(log.lastId(), kAll, 10, 10s).empty());
    waker.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(EventLogTest, ThreadIdComesFromThreadIdOrTheThreadObject) {
    EXPECT_EQ(messageThreadId({{"params", {{"threadId", "a"}}}}), "a");
    EXPECT_EQ(messageThreadId({{"params", {{"thread", {{"id", "b"}}}}}}), "b");
    EXPECT_EQ(messageThreadId({{"params", {{"other", 1}}}}), "");
    EXPECT_EQ(messageThreadId({{"method", "x"}}), "");
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
