// Token reservations under contention: many threads admitting against one key's daily budget
// at the same moment never hold or spend more than the budget.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "core/admission/admission_controller.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/admission/fake_usage_repository.hpp"

namespace sluice::core::admission {
namespace {

constexpr int kThreads = 64;
constexpr std::uint64_t kBudget = 100'000;
constexpr std::uint64_t kReservation = 7'000;

struct Round {
    int admitted = 0;
    bool overshot = false;
};

class AdmissionConcurrencyTest : public ::testing::Test {
protected:
    // Every thread admits once, all released together; admitted threads check the key's load
    // while holding their ticket, then settle it with `usage_each` tokens.
    Round race(std::uint64_t usage_each) {
        std::latch start(kThreads);
        std::atomic<int> admitted{0};
        std::atomic<bool> overshot{false};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&] {
                start.arrive_and_wait();
                auto outcome = controller_.admit(key_, policy_, AdmissionRequest{});
                auto* ticket = std::get_if<AdmissionTicket>(&outcome);
                if (ticket == nullptr) {
                    return;
                }
                ++admitted;
                const KeyLoad load = controller_.load(key_.id);
                if (load.tokens_today + load.tokens_reserved > kBudget) {
                    overshot = true;
                }
                sdk::TokenUsage usage;
                usage.total_tokens = usage_each;
                ticket->settle(usage);
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        return {admitted.load(), overshot.load()};
    }

    sdk::testing::FakeHost host_;
    testing::FakeUsageRepository usage_;
    AdmissionController controller_{usage_, host_.clock(), host_.metrics()};
    const KeyPolicy policy_ =
        parseKeyPolicy(R"({"tokens_per_day":100000,"max_tokens_per_request":7000})").value();
    const sdk::Principal key_{sdk::CredentialKind::PoolKey, "sk-sluice-race", "race", "team", "{}"};
};

TEST_F(AdmissionConcurrencyTest, HeldTicketsNeverOvershootTheDailyBudget) {
    // Nothing is settled before the threads finish admitting, so exactly what fits is admitted.
    std::latch all_done(kThreads);
    std::latch release(1);
    std::atomic<int> admitted{0};
    std::atomic<bool> overshot{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto outcome = controller_.admit(key_, policy_, AdmissionRequest{});
            if (std::holds_alternative<AdmissionTicket>(outcome)) {
                ++admitted;
            }
            const KeyLoad load = controller_.load(key_.id);
            overshot = overshot || load.tokens_today + load.tokens_reserved > kBudget;
            all_done.count_down();
            release.wait();  // keep the ticket until every thread has tried
        });
    }
    all_done.wait();
    EXPECT_EQ(controller_.load(key_.id).tokens_reserved, (kBudget / kReservation) * kReservation);
    release.count_down();
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(admitted.load(), static_cast<int>(kBudget / kReservation));
    EXPECT_FALSE(overshot.load());
    EXPECT_EQ(controller_.load(key_.id).tokens_reserved, 0U);
}

TEST_F(AdmissionConcurrencyTest, SettledUsageAndReservationsTogetherStayWithinTheBudget) {
    // Each admitted request really uses its whole reservation: 14 fit in 100000, and later
    // rounds find only what is left.
    int total = 0;
    for (int round = 0; round < 3; ++round) {
        const Round result = race(kReservation);
        EXPECT_FALSE(result.overshot) << "round " << round;
        total += result.admitted;
    }
    EXPECT_EQ(total, static_cast<int>(kBudget / kReservation));
    const KeyLoad load = controller_.load(key_.id);
    EXPECT_EQ(load.tokens_today, (kBudget / kReservation) * kReservation);
    EXPECT_EQ(load.tokens_reserved, 0U);
}

TEST_F(AdmissionConcurrencyTest, SettlingBelowTheReservationLetsMoreRequestsIn) {
    const Round first = race(kReservation / 2);
    EXPECT_FALSE(first.overshot);
    EXPECT_GE(first.admitted, static_cast<int>(kBudget / kReservation));
    const KeyLoad load = controller_.load(key_.id);
    EXPECT_LE(load.tokens_today, kBudget);
    EXPECT_EQ(load.tokens_today, static_cast<std::uint64_t>(first.admitted) * (kReservation / 2));
}

}  // namespace
}  // namespace sluice::core::admission
