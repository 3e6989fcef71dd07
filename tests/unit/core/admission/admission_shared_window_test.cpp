// AdmissionController with shared state (ADR 0012): requests per minute counted across replicas
// through a shared window, and this replica's own count when the shared state does not answer.

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "core/admission/admission_controller.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/admission/fake_usage_repository.hpp"

namespace sluice::core::admission {
namespace {

using namespace std::chrono_literals;

/// Answers window requests from a script; records what it was asked.
class ScriptedWindows final : public sdk::SharedState {
public:
    struct Asked {
        std::string name;
        std::uint32_t limit;
        std::chrono::milliseconds window;
    };

    sdk::Result<sdk::WindowSlot> takeWindowSlot(
        std::string_view name, std::uint32_t limit,
        std::chrono::milliseconds window) noexcept override {
        asked.push_back({std::string(name), limit, window});
        if (answers.empty()) {
            return sdk::Status{sdk::StatusCode::Unavailable, "shared state unreachable"};
        }
        auto answer = answers.front();
        answers.pop_front();
        return answer;
    }
    sdk::Status announce(std::string_view) noexcept override { return {}; }
    sdk::Result<bool> tryLock(std::string_view, std::chrono::milliseconds) noexcept override {
        return sdk::Status{sdk::StatusCode::Unavailable, "not used here"};
    }
    void releaseLock(std::string_view) noexcept override {}
    void start(sdk::SharedStateListener&) override {}
    void stop() noexcept override {}

    std::deque<sdk::Result<sdk::WindowSlot>> answers;
    std::vector<Asked> asked;
};

class AdmissionSharedWindowTest : public ::testing::Test {
protected:
    std::variant<AdmissionTicket, sdk::ErrorInfo> admit(const std::string& policy_json,
                                                        AdmissionRequest request = {}) {
        const sdk::Principal key{sdk::CredentialKind::PoolKey, "sk-sluice-k1", "it", "team",
                                 policy_json};
        return controller_.admit(key, parseKeyPolicy(policy_json).value(), request);
    }
    std::uint64_t counter(const std::string& name, const sdk::MetricLabels& labels = {}) const {
        return host_.counterValue(name, labels);
    }

    sdk::testing::FakeHost host_;
    testing::FakeUsageRepository usage_;
    ScriptedWindows windows_;
    AdmissionController controller_{usage_, host_.clock(), host_.metrics(), nullptr, &windows_};
};

TEST_F(AdmissionSharedWindowTest, ASharedSlotAdmitsAndIsTakenFromTheKeysMinuteWindow) {
    windows_.answers.push_back(sdk::WindowSlot{true, 0});
    EXPECT_TRUE(std::holds_alternative<AdmissionTicket>(admit(R"({"requests_per_minute":2})")));
    ASSERT_EQ(windows_.asked.size(), 1u);
    EXPECT_EQ(windows_.asked[0].name, "rpm:sk-sluice-k1");
    EXPECT_EQ(windows_.asked[0].limit, 2u);
    EXPECT_EQ(windows_.asked[0].window, 60s);
}

TEST_F(AdmissionSharedWindowTest, AFullSharedWindowRefusesWithItsRetryAfter) {
    windows_.answers.push_back(sdk::WindowSlot{false, 17});
    const auto outcome = admit(R"({"requests_per_minute":5})");
    const auto* error = std::get_if<sdk::ErrorInfo>(&outcome);
    ASSERT_NE(error, nullptr);
    EXPECT_EQ(error->http_status, 429);
    EXPECT_EQ(error->type, "requests_per_minute");
    EXPECT_EQ(error->retry_after_seconds, 17);
    EXPECT_EQ(counter("sluice_admission_rejections_total", {{"limit", "requests_per_minute"}}), 1u);
}

TEST_F(AdmissionSharedWindowTest, WithoutAnAnswerThisReplicasOwnCountDecides) {
    EXPECT_TRUE(std::holds_alternative<AdmissionTicket>(admit(R"({"requests_per_minute":1})")));
    EXPECT_TRUE(std::holds_alternative<sdk::ErrorInfo>(admit(R"({"requests_per_minute":1})")));
    EXPECT_EQ(counter("sluice_admission_shared_fallbacks_total"), 2u);
}

TEST_F(AdmissionSharedWindowTest, RequestsThatAreNotCountedDoNotAsk) {
    AdmissionRequest upgrade;
    upgrade.counts_request = false;
    EXPECT_TRUE(
        std::holds_alternative<AdmissionTicket>(admit(R"({"requests_per_minute":1})", upgrade)));
    EXPECT_TRUE(windows_.asked.empty());
}

TEST_F(AdmissionSharedWindowTest, KeysWithoutARateNeverAsk) {
    EXPECT_TRUE(std::holds_alternative<AdmissionTicket>(admit(R"({"max_concurrent_streams":2})")));
    EXPECT_TRUE(windows_.asked.empty());
}

}  // namespace
}  // namespace sluice::core::admission
