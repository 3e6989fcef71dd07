#include "launch_settings.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_appserver {
namespace {

TEST(LaunchSettingsTest, TheGatewayIsReachedOnLoopbackWhenItListensEverywhere) {
    EXPECT_EQ(gatewayCodexUrl({"0.0.0.0", 4000}, "/backend-api/codex").value(),
              "http://127.0.0.1:4000/backend-api/codex");
    EXPECT_EQ(gatewayCodexUrl({"[::]", 4000}, "/c").value(), "http://[::1]:4000/c");
    EXPECT_EQ(gatewayCodexUrl({"::1", 81}, "/c").value(), "http://[::1]:81/c");
    EXPECT_EQ(gatewayCodexUrl({"127.0.0.1", 4000}, "/c").value(), "http://127.0.0.1:4000/c");
    EXPECT_FALSE(gatewayCodexUrl({"127.0.0.1", 0}, "/c").ok());
}

TEST(LaunchSettingsTest, OwnerDirectoriesNeverLeaveTheirParent) {
    EXPECT_EQ(ownerDirectoryName("sk-sluice-1a2b3c"), "sk-sluice-1a2b3c");
    EXPECT_EQ(ownerDirectoryName("../x"), "~2e2e2f78");
    EXPECT_EQ(ownerDirectoryName(""), "~");
    EXPECT_EQ(ownerDirectoryName("-rf"), "~2d7266");
    EXPECT_NE(ownerDirectoryName("~41"), ownerDirectoryName("A"));
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
