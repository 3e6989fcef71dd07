#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kUsageScript = R"(
accounts:
  - id: acct-a
    access_token: tok-a
    plan_type: plus
    rate_limits:
      primary: { used_percent: 12, window_minutes: 300, reset_in: 1h }
      secondary: { used_percent: 40, window_minutes: 10080, reset_in: 1d }
      credits: { has_credits: true, unlimited: false, balance: "25" }
  - id: acct-spent
    access_token: tok-spent
    plan_type: team
    workspace_backend_origin: https://workspace.example.com
    rate_limits: { primary: { used_percent: 100, window_minutes: 300, reset_in: 10m } }
)";

class ModelsUsageTest : public EmulatorTest {};

TEST_F(ModelsUsageTest, ModelsCarryEveryRequiredFieldAndAnETag) {
    startWith(kUsageScript);
    const auto reply = get("/backend-api/codex/models?client_version=0.169.0");
    ASSERT_EQ(reply.status, 200);
    const auto etag = reply.header("etag");
    EXPECT_FALSE(etag.empty());
    const auto models = reply.json()["models"];
    ASSERT_FALSE(models.empty());
    for (const auto& model : models) {
        for (const char* field :
             {"slug", "display_name", "supported_reasoning_levels", "shell_type", "visibility",
              "supported_in_api", "priority", "support_verbosity", "truncation_policy",
              "experimental_supported_tools"}) {
            EXPECT_TRUE(model.contains(field)) << model.value("slug", "?") << " lacks " << field;
        }
    }
    HttpCall again{"GET", "/backend-api/codex/models?client_version=0.169.0"};
    again.headers = {{"Authorization", "Bearer tok-a"},
                     {"chatgpt-account-id", "acct-a"},
                     {"If-None-Match", etag}};
    EXPECT_EQ(call(again).status, 304);
    EXPECT_EQ(get("/backend-api/codex/models", "acct-a", "nope").status, 401);
}

TEST_F(ModelsUsageTest, ReplacingTheCatalogChangesTheETag) {
    startWith(kUsageScript);
    const auto before = get("/backend-api/codex/models").header("etag");
    const auto put = control("PUT", "models", R"({"models":[{"slug":"emu-1","display_name":"Emu",
        "supported_reasoning_levels":[],"shell_type":"shell_command","visibility":"list",
        "supported_in_api":true,"priority":1,"support_verbosity":false,
        "truncation_policy":{"mode":"tokens","limit":10000},"experimental_supported_tools":[]}]})");
    ASSERT_EQ(put.status, 200) << put.body;
    const auto after = get("/backend-api/codex/models");
    EXPECT_NE(after.header("etag"), before);
    EXPECT_EQ(after.json()["models"][0]["slug"], "emu-1");
}

TEST_F(ModelsUsageTest, WhamUsageReportsTheAccountsWindows) {
    startWith(kUsageScript);
    const auto now = std::time(nullptr);
    const auto usage = get("/backend-api/wham/usage").json();
    EXPECT_EQ(usage["plan_type"], "plus");
    EXPECT_EQ(usage["rate_limit"]["allowed"], true);
    EXPECT_EQ(usage["rate_limit"]["limit_reached"], false);
    const auto& primary = usage["rate_limit"]["primary_window"];
    EXPECT_EQ(primary["used_percent"], 12);
    EXPECT_EQ(primary["limit_window_seconds"], 18000);
    EXPECT_NEAR(primary["reset_after_seconds"].get<double>(), 3600, 5);
    EXPECT_NEAR(primary["reset_at"].get<double>(), now + 3600, 5);
    EXPECT_EQ(usage["rate_limit"]["secondary_window"]["limit_window_seconds"], 604800);
    EXPECT_EQ(usage["credits"]["balance"], "25");

    const auto spent = get("/api/codex/usage", "acct-spent", "tok-spent").json();
    EXPECT_EQ(spent["plan_type"], "team");
    EXPECT_EQ(spent["rate_limit"]["limit_reached"], true);
    EXPECT_EQ(spent["rate_limit"]["allowed"], false);
    EXPECT_TRUE(spent["rate_limit"]["secondary_window"].is_null());
}

TEST_F(ModelsUsageTest, AccountsCheckNamesTheCallingAccountOnce) {
    startWith(kUsageScript);
    const auto check = get("/backend-api/wham/accounts/check").json();
    ASSERT_EQ(check["accounts"].size(), 1u);
    EXPECT_EQ(check["accounts"][0]["id"], "acct-a");
    EXPECT_EQ(check["accounts"][0]["workspace_backend_origin"], "https://chatgpt.com");
    EXPECT_EQ(check["accounts"][0]["account_routing_override"], "NO_CONSTRAINT");
    EXPECT_EQ(check["default_account_id"], "acct-a");
    const auto other = get("/backend-api/wham/accounts/check", "acct-spent", "tok-spent").json();
    EXPECT_EQ(other["accounts"][0]["workspace_backend_origin"], "https://workspace.example.com");
    EXPECT_EQ(other["accounts"][0]["plan_type"], "team");
}

}  // namespace
}  // namespace sluice::emulator::testing
