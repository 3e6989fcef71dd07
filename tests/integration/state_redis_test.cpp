// state-redis against a Redis server the test starts: change notifications between two
// replicas, a replica's own announcements, the link going down and coming back, announcements
// that never wait on an unreachable server, windows, locks, account bindings and usage-limit
// blocks.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugins/state-redis/redis_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/support/redis_server.hpp"

namespace sluice::tests::integration {
namespace {

using namespace std::chrono_literals;
using sdk::testing::FakeConfig;

constexpr auto kWait = 5s;

/// What a replica heard, in order: "change:<topic>", "up", "down",
/// "binding:<conversation|response> <pool>/<key>=<account>", "block:<account>".
class Recorder final : public sdk::SharedStateListenerV3 {
public:
    void onChange(std::string_view topic) noexcept override { add("change:" + std::string(topic)); }
    void onLinkChange(bool up, std::string_view) noexcept override { add(up ? "up" : "down"); }
    void onBinding(const sdk::AccountBinding& binding) noexcept override {
        add(std::string("binding:") +
            (binding.kind == sdk::BindingKind::Response ? "response " : "conversation ") +
            binding.pool + "/" + binding.key + "=" + binding.account_id);
    }
    void onBlock(const sdk::AccountBlock& block) noexcept override {
        add("block:" + block.account_id);
    }

    /// Waits (up to kWait) until `event` has been heard `count` times.
    bool heard(const std::string& event, std::size_t count = 1) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kWait, [&] { return countOf(event) >= count; });
    }
    std::size_t count(const std::string& event) {
        std::lock_guard lock(mutex_);
        return countOf(event);
    }

private:
    void add(std::string event) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(std::move(event));
        }
        changed_.notify_all();
    }
    std::size_t countOf(const std::string& event) const {
        return static_cast<std::size_t>(std::count(events_.begin(), events_.end(), event));
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> events_;
};

class StateRedisTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto binary = RedisServer::findBinary();
        if (!binary) {
            GTEST_SKIP() << kRedisMissing;
        }
        redis_.emplace(*binary);
    }

    /// The account bindings of a replica made by replica().
    static sdk::SharedStateV2& bindings(const sdk::SharedStatePtr& state) {
        return dynamic_cast<sdk::SharedStateV2&>(*state);
    }

    /// The usage-limit blocks of a replica made by replica().
    static sdk::SharedStateV3& blocks(const sdk::SharedStatePtr& state) {
        return dynamic_cast<sdk::SharedStateV3&>(*state);
    }

    sdk::SharedStatePtr replica(sdk::HostServices& host) {
        const auto config = FakeConfig::map({
            {"address", FakeConfig::scalar(redis_->address())},
            {"password", FakeConfig::scalar("")},
            {"channel", FakeConfig::scalar("sluice:test")},
            {"connect_timeout", FakeConfig::scalar("200ms")},
            {"call_timeout", FakeConfig::scalar("1s")},  // a loaded test machine
            {"reconnect_interval", FakeConfig::scalar("100ms")},
            {"keepalive", FakeConfig::scalar("300ms")},
        });
        return plugins::state_redis::RedisStateFactory().create(*config, host);
    }

    /// Two replicas with the link up (different instance ids: the second host's random numbers
    /// are moved on by one).
    void startBoth() {
        first_ = replica(first_host_);
        second_host_.random().next();
        second_ = replica(second_host_);
        first_->start(first_heard_);
        second_->start(second_heard_);
        ASSERT_TRUE(first_heard_.heard("up"));
        ASSERT_TRUE(second_heard_.heard("up"));
    }

    std::optional<RedisServer> redis_;
    sdk::testing::FakeHost first_host_;
    sdk::testing::FakeHost second_host_;
    // The listeners outlive the replicas, which stop when destroyed.
    Recorder first_heard_;
    Recorder second_heard_;
    sdk::SharedStatePtr first_;
    sdk::SharedStatePtr second_;
};

TEST_F(StateRedisTest, AnAnnouncementReachesTheOtherReplicaAndNotItsAuthor) {
    startBoth();

    ASSERT_TRUE(first_->announce("directory").ok());
    EXPECT_TRUE(second_heard_.heard("change:directory"));
    ASSERT_TRUE(second_->announce("directory").ok());
    EXPECT_TRUE(first_heard_.heard("change:directory"));
    EXPECT_EQ(first_heard_.count("change:directory"), 1u);
    EXPECT_EQ(second_heard_.count("change:directory"), 1u);
    // A quiet channel is not a broken link.
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(first_heard_.count("down"), 0u);
    EXPECT_EQ(second_heard_.count("down"), 0u);
}

TEST_F(StateRedisTest, TheLinkGoesDownWithTheServerAndComesBackWithIt) {
    startBoth();

    redis_->stop();
    EXPECT_TRUE(first_heard_.heard("down"));
    // Known down: the announcement fails at once, without a connection attempt.
    const auto before = std::chrono::steady_clock::now();
    EXPECT_EQ(first_->announce("directory").code(), sdk::StatusCode::Unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 50ms);

    redis_->start();
    ASSERT_TRUE(first_heard_.heard("up", 2));
    ASSERT_TRUE(second_heard_.heard("up", 2));
    EXPECT_TRUE(first_->announce("directory").ok());
    EXPECT_TRUE(second_heard_.heard("change:directory"));
}

// A frozen server keeps its connections open and answers nothing, as a half-open connection
// does: the unanswered PING takes the link down, and it comes back when the server does.
TEST_F(StateRedisTest, AServerThatStopsAnsweringTakesTheLinkDownWithinTwoKeepalives) {
    startBoth();
    const auto frozen_at = std::chrono::steady_clock::now();
    redis_->freeze();
    EXPECT_TRUE(first_heard_.heard("down"));
    EXPECT_LT(std::chrono::steady_clock::now() - frozen_at, 2s) << "keepalive 300ms";
    EXPECT_TRUE(second_heard_.heard("down"));
    redis_->thaw();
    // Both subscriptions are back before the announcement: pub/sub keeps nothing for the absent.
    EXPECT_TRUE(first_heard_.heard("up", 2));
    EXPECT_TRUE(second_heard_.heard("up", 2));
    EXPECT_TRUE(first_->announce("directory").ok());
    EXPECT_TRUE(second_heard_.heard("change:directory"));
}

TEST_F(StateRedisTest, AServerThatIsDownAtStartIsADegradedLinkNotAFailure) {
    redis_->stop();
    const auto first = replica(first_host_);
    Recorder heard;
    first->start(heard);
    EXPECT_TRUE(heard.heard("down"));
    EXPECT_EQ(first->announce("directory").code(), sdk::StatusCode::Unavailable);
    redis_->start();
    EXPECT_TRUE(heard.heard("up"));
    first->stop();
}

TEST_F(StateRedisTest, TwoReplicasTogetherTakeExactlyTheWindowsLimit) {
    startBoth();

    constexpr std::uint32_t kLimit = 5;
    std::atomic<int> taken{0};
    std::atomic<int> refused{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> callers;
    for (int i = 0; i < 40; ++i) {
        callers.emplace_back([&, i] {
            const auto slot =
                (i % 2 == 0 ? *first_ : *second_).takeWindowSlot("rpm:k", kLimit, 60s);
            if (!slot.ok()) {
                ++failed;
            } else if (slot->taken) {
                ++taken;
            } else {
                EXPECT_GE(slot->retry_after_seconds, 1);
                EXPECT_LE(slot->retry_after_seconds, 60);
                ++refused;
            }
        });
    }
    for (auto& caller : callers) {
        caller.join();
    }
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(taken.load(), static_cast<int>(kLimit));
    EXPECT_EQ(refused.load(), 40 - static_cast<int>(kLimit));
    // Another window is another count.
    EXPECT_TRUE(first_->takeWindowSlot("rpm:other", kLimit, 60s)->taken);

    redis_->stop();
    ASSERT_TRUE(first_heard_.heard("down"));
    EXPECT_EQ(first_->takeWindowSlot("rpm:k", kLimit, 60s).status().code(),
              sdk::StatusCode::Unavailable);
}

TEST_F(StateRedisTest, ALockIsHeldByOneReplicaUntilReleasedOrExpired) {
    startBoth();

    EXPECT_TRUE(first_->tryLock("refresh:a", 60s).value());
    EXPECT_FALSE(second_->tryLock("refresh:a", 60s).value());
    second_->releaseLock("refresh:a");  // not its lock: nothing happens
    EXPECT_FALSE(second_->tryLock("refresh:a", 60s).value());
    EXPECT_TRUE(second_->tryLock("refresh:b", 60s).value());
    first_->releaseLock("refresh:a");
    EXPECT_TRUE(second_->tryLock("refresh:a", 60s).value());

    EXPECT_TRUE(first_->tryLock("refresh:c", 100ms).value());
    std::this_thread::sleep_for(200ms);  // the server's expiry, not a fake clock's
    EXPECT_TRUE(second_->tryLock("refresh:c", 60s).value());

    redis_->stop();
    ASSERT_TRUE(first_heard_.heard("down"));
    EXPECT_EQ(first_->tryLock("refresh:d", 60s).status().code(), sdk::StatusCode::Unavailable);
}

TEST_F(StateRedisTest, ABindingIsReadByTheOtherReplicaAndItsMovesAreHeardThere) {
    startBoth();
    using sdk::BindingChange;
    using sdk::BindingKind;
    const std::string key = "session with spaces\nand:colons";
    const sdk::AccountBinding first{BindingKind::Conversation, "team", key, "acct_a", 60s};

    ASSERT_TRUE(bindings(first_).shareBinding(first, BindingChange::Moved).ok());
    EXPECT_EQ(bindings(second_).findBinding(BindingKind::Conversation, "team", key).value(),
              "acct_a");
    EXPECT_FALSE(bindings(second_).findBinding(BindingKind::Response, "team", key).value());
    EXPECT_FALSE(bindings(second_).findBinding(BindingKind::Conversation, "other", key).value());
    EXPECT_TRUE(second_heard_.heard("binding:conversation team/" + key + "=acct_a"));

    // A renewal is stored but not announced; the move after it is, in order.
    ASSERT_TRUE(bindings(first_).shareBinding(first, BindingChange::Renewed).ok());
    sdk::AccountBinding moved = first;
    moved.account_id = "acct_b";
    ASSERT_TRUE(bindings(first_).shareBinding(moved, BindingChange::Moved).ok());
    EXPECT_TRUE(second_heard_.heard("binding:conversation team/" + key + "=acct_b"));
    EXPECT_EQ(second_heard_.count("binding:conversation team/" + key + "=acct_a"), 1u);
    EXPECT_EQ(first_heard_.count("binding:conversation team/" + key + "=acct_b"), 0u);
    EXPECT_EQ(bindings(second_).findBinding(BindingKind::Conversation, "team", key).value(),
              "acct_b");
}

TEST_F(StateRedisTest, ABindingLastsItsTimeToLiveAndNothingIsSharedWhileTheLinkIsDown) {
    startBoth();
    using sdk::BindingKind;
    const sdk::AccountBinding owner{BindingKind::Response, "team", "resp_1", "acct_a", 100ms};
    ASSERT_TRUE(bindings(first_).shareBinding(owner, sdk::BindingChange::Moved).ok());
    EXPECT_EQ(bindings(second_).findBinding(BindingKind::Response, "team", "resp_1").value(),
              "acct_a");
    std::this_thread::sleep_for(200ms);  // the server's expiry, not a fake clock's
    EXPECT_FALSE(bindings(second_).findBinding(BindingKind::Response, "team", "resp_1").value());

    redis_->stop();
    ASSERT_TRUE(first_heard_.heard("down"));
    const auto before = std::chrono::steady_clock::now();
    EXPECT_EQ(bindings(first_).shareBinding(owner, sdk::BindingChange::Moved).code(),
              sdk::StatusCode::Unavailable);
    EXPECT_EQ(bindings(first_).findBinding(BindingKind::Response, "team", "resp_1").status().code(),
              sdk::StatusCode::Unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 50ms);
}

TEST_F(StateRedisTest, ABlockIsHeardByTheOtherReplicaListedUntilItsResetAndNeverShortened) {
    startBoth();
    const auto reset = std::chrono::system_clock::now() + 1s;
    ASSERT_TRUE(blocks(first_).shareBlock({"acct_a", reset}).ok());
    ASSERT_TRUE(second_heard_.heard("block:acct_a"));
    EXPECT_EQ(first_heard_.count("block:acct_a"), 0u);
    // An earlier reset is neither stored nor announced.
    ASSERT_TRUE(blocks(second_).shareBlock({"acct_a", reset - 500ms}).ok());
    const auto listed = blocks(second_).blocks().value();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].account_id, "acct_a");
    EXPECT_EQ(listed[0].until, std::chrono::time_point_cast<std::chrono::milliseconds>(reset));
    EXPECT_EQ(first_heard_.count("block:acct_a"), 0u);

    std::this_thread::sleep_until(reset + 100ms);  // the server's expiry, not a fake clock's
    EXPECT_TRUE(blocks(first_).blocks().value().empty());
    EXPECT_TRUE(blocks(first_).shareBlock({"acct_b", std::chrono::system_clock::now() - 1s}).ok());
    EXPECT_TRUE(blocks(first_).blocks().value().empty());  // a lapsed block is not stored

    redis_->stop();
    ASSERT_TRUE(first_heard_.heard("down"));
    const auto before = std::chrono::steady_clock::now();
    EXPECT_EQ(blocks(first_).shareBlock({"acct_a", reset + 1h}).code(),
              sdk::StatusCode::Unavailable);
    EXPECT_EQ(blocks(first_).blocks().status().code(), sdk::StatusCode::Unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 50ms);
}

TEST_F(StateRedisTest, StopEndsTheSubscriptionPromptly) {
    const auto first = replica(first_host_);
    Recorder heard;
    first->start(heard);
    ASSERT_TRUE(heard.heard("up"));
    EXPECT_EQ(redis_->subscribers("sluice:test"), 1);
    const auto before = std::chrono::steady_clock::now();
    first->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    for (int i = 0; i < 100 && redis_->subscribers("sluice:test") != 0; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(redis_->subscribers("sluice:test"), 0);
}

}  // namespace
}  // namespace sluice::tests::integration
