#include "launch_settings.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_appserver {
namespace {

TEST(LaunchSettingsTest, OwnerDirectoriesNeverLeaveTheirParent) {
    EXPECT_EQ(ownerDirectoryName("sk-sluice-1a2b3c"), "sk-sluice-1a2b3c");
    EXPECT_EQ(ownerDirectoryName("../x"), "~2e2e2f78");
    EXPECT_EQ(ownerDirectoryName(""), "~");
    EXPECT_EQ(ownerDirectoryName("-rf"), "~2d7266");
    EXPECT_NE(ownerDirectoryName("~41"), ownerDirectoryName("A"));
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
