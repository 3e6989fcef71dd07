#include "core/runtime/shared_lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "tests/support/fake_shared_state.hpp"

namespace sluice::core::runtime {
namespace {

using Outcome = SharedLock::Outcome;
constexpr std::chrono::milliseconds kTtl{1000};

TEST(SharedLockTest, OneReplicaHoldsItAndTheOtherSeesItHeldUntilItIsReleased) {
    tests::FakeSharedServer server;
    auto first = server.replica();
    auto second = server.replica();
    {
        const SharedLock held(first.get(), "rotate:c1", kTtl);
        ASSERT_EQ(held.outcome(), Outcome::Held);
        SharedLock refused(second.get(), "rotate:c1", kTtl);
        EXPECT_EQ(refused.outcome(), Outcome::HeldByPeer);
        EXPECT_EQ(refused.retry(), Outcome::HeldByPeer);
    }
    const SharedLock after(second.get(), "rotate:c1", kTtl);
    EXPECT_EQ(after.outcome(), Outcome::Held);
}

TEST(SharedLockTest, ARetryTakesTheLockOnceThePeerReleasedIt) {
    tests::FakeSharedServer server;
    auto first = server.replica();
    auto second = server.replica();
    auto held = std::make_unique<SharedLock>(first.get(), "refresh:a1", kTtl);
    SharedLock waiting(second.get(), "refresh:a1", kTtl);
    ASSERT_EQ(waiting.outcome(), Outcome::HeldByPeer);
    held.reset();
    EXPECT_EQ(waiting.retry(), Outcome::Held);
}

TEST(SharedLockTest, WithoutSharedStateOrWhileItIsDownTheCallerGoesAlone) {
    const SharedLock without(nullptr, "rotate:c1", kTtl);
    EXPECT_EQ(without.outcome(), Outcome::Unshared);

    tests::FakeSharedServer server;
    auto replica = server.replica();
    server.setUp(false);
    SharedLock down(replica.get(), "rotate:c1", kTtl);
    EXPECT_EQ(down.outcome(), Outcome::Unshared);
    server.setUp(true);
    EXPECT_EQ(down.retry(), Outcome::Unshared);  // an unshared lock is not taken later
}

TEST(SharedLockTest, DifferentNamesDoNotExcludeEachOther) {
    tests::FakeSharedServer server;
    auto first = server.replica();
    auto second = server.replica();
    const SharedLock one(first.get(), "rotate:c1", kTtl);
    const SharedLock other(second.get(), "rotate:c2", kTtl);
    EXPECT_EQ(one.outcome(), Outcome::Held);
    EXPECT_EQ(other.outcome(), Outcome::Held);
}

}  // namespace
}  // namespace sluice::core::runtime
