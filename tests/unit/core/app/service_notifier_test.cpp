#include "core/app/service_notifier.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "sluice/sdk/testing/temp_directory.hpp"
#include "tests/integration/notify_listener.hpp"

namespace sluice::core::app {
namespace {

using namespace std::chrono_literals;
using integration::NotifyListener;

TEST(ServiceNotifierTest, SendsOneDatagramToAPathSocket) {
    sdk::testing::TempDirectory dir("sluice-notify");
    NotifyListener listener((dir.path() / "notify.sock").string());
    const ServiceNotifier notifier(listener.path());
    EXPECT_TRUE(notifier.enabled());
    EXPECT_TRUE(notifier.notify("READY=1\nSTATUS=serving"));
    EXPECT_EQ(listener.next(1s), "READY=1\nSTATUS=serving");
}

TEST(ServiceNotifierTest, AtNamesAnAbstractSocket) {
    NotifyListener listener("@sluice-notify-test-" + std::to_string(::getpid()));
    EXPECT_TRUE(ServiceNotifier(listener.path()).notify("STOPPING=1"));
    EXPECT_EQ(listener.next(1s), "STOPPING=1");
}

TEST(ServiceNotifierTest, WithoutASocketNothingIsSent) {
    const ServiceNotifier notifier("");
    EXPECT_FALSE(notifier.enabled());
    EXPECT_FALSE(notifier.notify("READY=1"));
}

TEST(ServiceNotifierTest, AnUnreachableOrOverlongPathFailsWithoutThrowing) {
    EXPECT_FALSE(ServiceNotifier("/nonexistent/notify.sock").notify("READY=1"));
    EXPECT_FALSE(ServiceNotifier("/" + std::string(200, 'x')).notify("READY=1"));
}

}  // namespace
}  // namespace sluice::core::app
