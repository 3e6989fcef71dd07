#include "core/observability/alerts/alert_monitor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::observability::alerts {
namespace {

class AlertMonitorTest : public ::testing::Test {
protected:
    std::unique_ptr<AlertMonitor> monitor(bool with_webhook) {
        auto courier = with_webhook ? std::make_unique<WebhookCourier>(
                                          host_.fakeHttp(),
                                          WebhookSettings{"http://127.0.0.1:9/hook", "secret"},
                                          host_.logger("alerts"), host_.metrics())
                                    : nullptr;
        return std::make_unique<AlertMonitor>(
            [this](sdk::TimePoint now) {
                Reading reading;
                reading.at = now;
                reading.storage_unreachable = storage_down_.load();
                return reading;
            },
            Thresholds{}, std::chrono::hours(1), std::move(courier), host_.clock(),
            host_.logger("alerts"), host_.metrics());
    }

    std::vector<std::string> events() {
        std::vector<std::string> out;
        for (const auto& line : host_.lines()) {
            out.push_back(line.event);
        }
        return out;
    }

    sdk::testing::FakeHost host_;
    std::atomic<bool> storage_down_{false};
};

TEST_F(AlertMonitorTest, EvaluationsFillTheBoardAndLogEachTransitionOnce) {
    const auto alerts = monitor(false);
    storage_down_ = true;
    alerts->evaluate();
    host_.fakeClock().advance(std::chrono::seconds(15));
    alerts->evaluate();
    ASSERT_EQ(alerts->board().list().size(), 1u);
    EXPECT_EQ(alerts->board().list()[0].signal.id, "storage_degraded:storage");
    storage_down_ = false;
    alerts->evaluate();
    EXPECT_EQ(alerts->board().firing(), 0u);
    EXPECT_EQ(events(), (std::vector<std::string>{"alert_firing", "alert_resolved"}));
    EXPECT_TRUE(host_.fakeHttp().calls().empty());  // no webhook configured
}

TEST_F(AlertMonitorTest, TheCourierThreadDeliversWhatAnEvaluationFired) {
    const auto alerts = monitor(true);
    storage_down_ = true;
    host_.fakeHttp().enqueue(sdk::HttpReply{200, {}, ""});
    alerts->start();  // evaluates at once, then hands the firing to the courier thread
    for (int i = 0; i < 500 && host_.fakeHttp().calls().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    alerts->stop();
    ASSERT_EQ(host_.fakeHttp().calls().size(), 1u);
    EXPECT_NE(host_.fakeHttp().calls()[0].body.find("\"alert.firing\""), std::string::npos);
}

}  // namespace
}  // namespace sluice::core::observability::alerts
