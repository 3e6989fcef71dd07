#include "pool_views.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_backend {
namespace {

using json = nlohmann::json;

TEST(UsagePayload, KeepsTheCodexShapeOfThePoolView) {
    const json window{{"used_percent", 12},
                      {"limit_window_seconds", 18000},
                      {"reset_after_seconds", 60},
                      {"reset_at", 1795281464}};
    const json payload =
        usagePayload({{"plan_type", "pro"},
                      {"rate_limit",
                       {{"allowed", true}, {"limit_reached", false}, {"primary_window", window}}}});
    EXPECT_EQ(payload, json({{"plan_type", "pro"},
                             {"rate_limit",
                              {{"allowed", true},
                               {"limit_reached", false},
                               {"primary_window", window},
                               {"secondary_window", nullptr}}}}));
}

TEST(UsagePayload, AMissingViewIsNotAllowed) {
    const json payload = usagePayload(json::parse("not json", nullptr, false));
    EXPECT_EQ(payload["plan_type"], "unknown");
    EXPECT_EQ(payload["rate_limit"]["allowed"], false);
    EXPECT_EQ(payload["rate_limit"]["limit_reached"], true);
}

TEST(AccountsCheckPayload, NamesTheClientsAccountExactlyOnce) {
    const json payload = accountsCheckPayload("ws-1", "team");
    ASSERT_EQ(payload["accounts"].size(), 1U);
    EXPECT_EQ(payload["accounts"][0]["id"], "ws-1");
    EXPECT_EQ(payload["accounts"][0]["plan_type"], "team");
    EXPECT_EQ(payload["account_ordering"], json::array({"ws-1"}));
    EXPECT_EQ(payload["default_account_id"], "ws-1");
    EXPECT_FALSE(payload["accounts"][0].contains("workspace_backend_origin"));
}

}  // namespace
}  // namespace sluice::plugins::route_backend
