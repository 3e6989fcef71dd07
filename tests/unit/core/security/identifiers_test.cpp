#include "core/security/identifiers.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace sluice::core::security {
namespace {

const auto kSameMillisecond =
    std::chrono::system_clock::time_point(std::chrono::milliseconds(0x0123456789ab));

TEST(RecordIdTest, IsThePrefixTheMillisecondsAndTenRandomHexDigits) {
    const std::string id = newRecordId("req", kSameMillisecond);
    EXPECT_TRUE(std::regex_match(id, std::regex("req_0123456789ab[0-9a-f]{10}"))) << id;
}

TEST(RecordIdTest, SortsByCreationTime) {
    const auto later = kSameMillisecond + std::chrono::milliseconds(1);
    EXPECT_LT(newRecordId("req", kSameMillisecond), newRecordId("req", later));
}

TEST(RecordIdTest, IdsOfOneMillisecondFromManyThreadsAreDistinct) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 5000;
    std::vector<std::vector<std::string>> made(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                made[t].push_back(newRecordId("req", kSameMillisecond));
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::set<std::string> distinct;
    for (const auto& ids : made) {
        distinct.insert(ids.begin(), ids.end());
    }
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace sluice::core::security
