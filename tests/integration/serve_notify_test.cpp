// `sluice serve` under a Type=notify service manager: READY=1 once the port answers, RELOADING=1
// then READY=1 around a SIGHUP reload, STOPPING=1 when SIGTERM begins the drain; exit 0.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>

#include "tests/integration/cli_fixture.hpp"
#include "tests/integration/notify_listener.hpp"

namespace sluice::integration {
namespace {

using namespace std::chrono_literals;

class ServeNotifyTest : public ServeTest {};

TEST_F(ServeNotifyTest, TellsTheServiceManagerWhenReadyReloadingAndStopping) {
    NotifyListener listener((dir_.path() / "notify.sock").string());
    ServeProcess process = serve({"/usr/bin/env", "NOTIFY_SOCKET=" + listener.path()});
    ASSERT_TRUE(process.healthy());
    const auto ready = listener.next(5s);
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(ready->rfind("READY=1\nSTATUS=serving on port " + std::to_string(process.port), 0),
              0u)
        << *ready;

    const auto pid = static_cast<pid_t>(process.handle->id());
    ::kill(pid, SIGHUP);
    EXPECT_EQ(listener.next(5s), "RELOADING=1");
    EXPECT_EQ(listener.next(5s), "READY=1");

    ::kill(pid, SIGTERM);
    EXPECT_EQ(listener.next(5s), "STOPPING=1\nSTATUS=draining");
    EXPECT_EQ(process.exitWithin(15s), 0);
}

}  // namespace
}  // namespace sluice::integration
