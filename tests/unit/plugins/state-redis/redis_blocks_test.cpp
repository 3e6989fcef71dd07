#include "plugins/state-redis/redis_blocks.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::state_redis {
namespace {

using namespace std::chrono_literals;

TEST(RedisBlocksTest, KeysLiveUnderTheInstallsPrefix) {
    EXPECT_EQ(blockKey("sluice:changes", "acct_1"), "sluice:changes:block:acct_1");
    EXPECT_EQ(blockIndexKey("sluice:changes"), "sluice:changes:blocked");
}

TEST(RedisBlocksTest, APublishedBlockReadsBackWhateverItsAccountIdHolds) {
    const sdk::AccountBlock block{"acct 9:x", sdk::TimePoint(1'800'000'123'456ms)};
    const auto read = decodeBlock(encodeBlock("0123abcd", block));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->instance, "0123abcd");
    EXPECT_EQ(read->block.account_id, "acct 9:x");
    EXPECT_EQ(read->block.until, block.until);
}

TEST(RedisBlocksTest, AnythingElseIsNotABlock) {
    for (const char* payload :
         {"", "0123abcd", "0123abcd directory", "0123abcd 17", "0123abcd 17 ", "0123abcd -5 acct",
          "0123abcd 0 acct", " 17 acct", "0123abcd 17x acct"}) {
        EXPECT_FALSE(decodeBlock(payload)) << payload;
    }
}

}  // namespace
}  // namespace sluice::plugins::state_redis
