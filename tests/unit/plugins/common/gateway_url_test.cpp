#include "sluice/plugins/common/gateway_url.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::common {
namespace {

TEST(GatewayUrlTest, ChildrenReachTheGatewayOnLoopbackWhenItListensEverywhere) {
    EXPECT_EQ(gatewayLoopbackUrl({"0.0.0.0", 4000}, "/backend-api/codex").value(),
              "http://127.0.0.1:4000/backend-api/codex");
    EXPECT_EQ(gatewayLoopbackUrl({"[::]", 4000}, "/c").value(), "http://[::1]:4000/c");
    EXPECT_EQ(gatewayLoopbackUrl({"::1", 81}, "/c").value(), "http://[::1]:81/c");
    EXPECT_EQ(gatewayLoopbackUrl({"127.0.0.1", 4000}, "/c").value(), "http://127.0.0.1:4000/c");
    EXPECT_FALSE(gatewayLoopbackUrl({"127.0.0.1", 0}, "/c").ok());
}

}  // namespace
}  // namespace sluice::plugins::common
