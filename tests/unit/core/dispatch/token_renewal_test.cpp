#include "core/dispatch/token_renewal.hpp"

#include <gtest/gtest.h>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::dispatch {
namespace {

using lifecycle::RefreshResult;

class TokenRenewalTest : public ::testing::Test {
protected:
    TokenRenewal renewal_{[this](const std::string& id) {
                              started_.push_back(id);
                              return future_;
                          },
                          [this](const std::string&) { return current_; }, host_.fakeClock()};

    std::chrono::steady_clock::time_point soon() {
        return host_.fakeClock().steadyNow() + std::chrono::seconds(1);
    }

    sdk::testing::FakeHost host_;
    std::vector<std::string> started_;
    std::promise<RefreshResult> promise_;
    std::shared_future<RefreshResult> future_ = promise_.get_future().share();
    routing::RoutedAccountPtr current_;
};

TEST_F(TokenRenewalTest, NothingIsRenewingUntilAskedAndUntilItEnds) {
    EXPECT_FALSE(renewal_.renewing("a"));
    renewal_.begin("a");
    EXPECT_EQ(started_, std::vector<std::string>{"a"});
    EXPECT_TRUE(renewal_.renewing("a"));
    EXPECT_FALSE(renewal_.renewing("b"));
    promise_.set_value(RefreshResult::Transient);
    EXPECT_FALSE(renewal_.renewing("a"));
}

TEST_F(TokenRenewalTest, AwaitGivesTheRenewedAccount) {
    auto account = std::make_shared<routing::RoutedAccount>();
    account->id = "a";
    account->access_token = "fresh";
    current_ = account;
    renewal_.begin("a");
    promise_.set_value(RefreshResult::Refreshed);
    EXPECT_EQ(renewal_.await("a", soon()), account);
}

TEST_F(TokenRenewalTest, AwaitGivesNothingForAFailedMissingOrLateRenewal) {
    EXPECT_EQ(renewal_.await("a", soon()), nullptr);  // none started
    renewal_.begin("a");
    // Not done by a deadline that has passed.
    EXPECT_EQ(renewal_.await("a", host_.fakeClock().steadyNow()), nullptr);
    promise_.set_value(RefreshResult::Terminal);
    EXPECT_EQ(renewal_.await("a", soon()), nullptr);
}

TEST_F(TokenRenewalTest, AnAbandonedRenewalIsNoRenewal) {
    auto promise = std::make_unique<std::promise<RefreshResult>>();
    future_ = promise->get_future().share();
    renewal_.begin("a");
    promise.reset();  // the upkeep stopped before running it
    EXPECT_EQ(renewal_.await("a", soon()), nullptr);
}

}  // namespace
}  // namespace sluice::core::dispatch
