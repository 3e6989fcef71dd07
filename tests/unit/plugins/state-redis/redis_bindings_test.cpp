#include "plugins/state-redis/redis_bindings.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::state_redis {
namespace {

using namespace std::chrono_literals;

TEST(RedisBindingsTest, KeysKeepThePoolAndTheKeyApart) {
    EXPECT_EQ(bindingKey("sluice:changes", sdk::BindingKind::Conversation, "team", "s-1"),
              "sluice:changes:binding:conversation:4:team:s-1");
    EXPECT_NE(bindingKey("p", sdk::BindingKind::Response, "a:1", "x"),
              bindingKey("p", sdk::BindingKind::Response, "a", "1:x"));
}

TEST(RedisBindingsTest, APublishedBindingReadsBackWhateverItsKeyHolds) {
    const sdk::AccountBinding binding{sdk::BindingKind::Response, "team one", "key with\nlines 7",
                                      "acct 9", 7'200'000ms};
    const std::string payload = encodeBinding("0123abcd", binding);
    const auto read = decodeBinding(payload);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->instance, "0123abcd");
    EXPECT_EQ(read->binding.kind, sdk::BindingKind::Response);
    EXPECT_EQ(read->binding.pool, "team one");
    EXPECT_EQ(read->binding.key, "key with\nlines 7");
    EXPECT_EQ(read->binding.account_id, "acct 9");
    EXPECT_EQ(read->binding.ttl, 7'200'000ms);
}

TEST(RedisBindingsTest, AnythingElseIsNotABinding) {
    for (const char* payload :
         {"", "0123abcd directory", "0123abcd x 10 4 6 teamacct_as", "0123abcd c 10 4 6 teamacct_a",
          "0123abcd c -5 4 6 teamacct_as", "0123abcd c 10 40 6 teamacct_as",
          " c 10 4 6 teamacct_as", "0123abcd c 10 0 6 acct_as", "0123abcd c ten 4 6 teamacct_as"}) {
        EXPECT_FALSE(decodeBinding(payload)) << payload;
    }
}

}  // namespace
}  // namespace sluice::plugins::state_redis
