// The console's capacity overview and accounts view (issue 23) over the admin API, against the
// emulator with scripted quota: what the gateway learned from each account's answers, summed
// per pool, with each window's evidence (its source and age). On 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

// acct-a reports its quota in headers only, acct-b in a codex.rate_limits stream event too.
HarnessOptions twoAccounts() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    rate_limits:\n"
        "      primary: { used_percent: 40, window_minutes: 300, reset_in: 2h }\n"
        "      secondary: { used_percent: 10, window_minutes: 10080, reset_in: 3d }\n"
        "  - id: acct-b\n"
        "    access_token: tok-b\n"
        "    rate_limits:\n"
        "      primary: { used_percent: 80, window_minutes: 300, reset_in: 1h }\n"
        "      secondary: { used_percent: 30, window_minutes: 10080, reset_in: 2d }\n"
        "      stream_event: true\n"
        "  - id: acct-c\n"
        "    access_token: tok-c\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}, {"acct-c", "tok-c"}};
    o.plugins = {"route-admin"};
    o.extra_routes = {"{ family: admin }"};
    return o;
}

class CapacityOverviewTest : public ::testing::Test {
protected:
    CapacityOverviewTest()
        : harness_(twoAccounts()),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "console")) {}

    json admin(const std::string& method, const std::string& path, int status = 200) {
        const HttpReply reply = harness_.request(
            method, "/admin/api/v1" + path, "",
            {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}}, false);
        EXPECT_EQ(reply.status, status) << path << ": " << reply.body;
        return json::parse(reply.body, nullptr, false);
    }

    json account(const std::string& label) {
        return admin("GET", "/accounts/" + harness_.accountId(label));
    }

    GatewayHarness harness_;
    std::string admin_;
};

TEST_F(CapacityOverviewTest, ThePoolsCapacityIsWhatItsAccountsReportedSummed) {
    const json before = admin("GET", "/capacity?pool=team")["pools"][0];
    EXPECT_EQ(before["accounts"], 3);
    EXPECT_EQ(before["five_hour"]["known"], 0);  // nothing learned before traffic
    EXPECT_EQ(before["five_hour"]["remaining_percent"], 0.0);
    EXPECT_TRUE(before["five_hour"]["next_reset_at"].is_null());

    for (int i = 0; i < 3; ++i) {  // round robin: one answer from each account
        ASSERT_TRUE(completedTurn(harness_.postResponses(GatewayHarness::turnBody())));
    }
    const json capacity = admin("GET", "/capacity");
    ASSERT_TRUE(capacity["as_of"].is_string()) << capacity;
    ASSERT_EQ(capacity["pools"].size(), 1u) << capacity;
    const json& team = capacity["pools"][0];
    EXPECT_EQ(team["pool"], "team");
    EXPECT_EQ(team["by_state"],
              json({{"ready", 3}, {"cooling_down", 0}, {"paused", 0}, {"needs_sign_in", 0}}));
    EXPECT_EQ(team["five_hour"]["accounts"], 3);
    EXPECT_EQ(team["five_hour"]["known"], 2);  // acct-c's answers carry no quota
    EXPECT_DOUBLE_EQ(team["five_hour"]["remaining_percent"].get<double>(), 80.0);  // 60 + 20
    EXPECT_DOUBLE_EQ(team["weekly"]["remaining_percent"].get<double>(), 160.0);    // 90 + 70
    // The first to reset is acct-b's 5-hour window, its weekly one the week's.
    const json b = account("acct-b");
    EXPECT_EQ(team["five_hour"]["next_reset_at"], b["primary"]["resets_at"]);
    EXPECT_EQ(team["weekly"]["next_reset_at"], b["secondary"]["resets_at"]);

    admin("POST", "/accounts/" + harness_.accountId("acct-b") + "/pause");
    const json paused = admin("GET", "/capacity?pool=team")["pools"][0];
    EXPECT_EQ(paused["by_state"]["paused"], 1);
    EXPECT_EQ(paused["five_hour"]["accounts"], 2);
    EXPECT_DOUBLE_EQ(paused["five_hour"]["remaining_percent"].get<double>(), 60.0);

    EXPECT_EQ(admin("GET", "/capacity?pool=absent", 404)["error"]["code"], "not_found");
    const json unknown = admin("GET", "/capacity?colour=blue", 400);
    EXPECT_NE(unknown["error"]["message"].get<std::string>().find("colour"), std::string::npos)
        << unknown;
}

TEST_F(CapacityOverviewTest, TheLastHoursRequestsAndErrorsAreTheRequestLogsRows) {
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(completedTurn(harness_.postResponses(GatewayHarness::turnBody())));
    }
    EXPECT_EQ(harness_.postResponses("{not json").status, 400);
    const auto rows = harness_.requestLogsAtLeast(4);
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    for (const auto& row : rows) {
        requests += row.pool == "team" ? 1 : 0;
        errors += row.pool == "team" && row.status >= 400 ? 1 : 0;
    }
    ASSERT_GE(errors, 1u);
    const json hour = admin("GET", "/capacity?pool=team")["pools"][0]["last_hour"];
    EXPECT_EQ(hour["requests"], requests) << hour;
    EXPECT_EQ(hour["errors"], errors) << hour;
    ASSERT_EQ(hour["requests_per_minute"].size(), 60u);
    std::uint64_t summed = 0;
    for (const json& minute : hour["requests_per_minute"]) {
        summed += minute.get<std::uint64_t>();
    }
    EXPECT_EQ(summed, requests);
    EXPECT_GT(
        hour["requests_per_minute"].back().get<int>() + hour["requests_per_minute"][58].get<int>(),
        0);  // the latest minutes, not the oldest
}

TEST_F(CapacityOverviewTest, EachAccountShowsItsWindowsWithTheirEvidenceAndState) {
    const json unseen = account("acct-a");
    EXPECT_TRUE(unseen["primary"].is_null());
    EXPECT_TRUE(unseen["primary_evidence"].is_null());
    EXPECT_EQ(unseen["state"], "ready");

    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(completedTurn(harness_.postResponses(GatewayHarness::turnBody())));
    }
    const json a = account("acct-a");
    EXPECT_EQ(a["primary"]["used_percent"], 40);
    EXPECT_EQ(a["primary_evidence"]["source"], "headers");
    EXPECT_EQ(a["primary_evidence"]["fresh"], true);
    EXPECT_GE(a["primary_evidence"]["age_seconds"].get<int>(), 0);
    EXPECT_LT(a["primary_evidence"]["age_seconds"].get<int>(), 60);
    EXPECT_TRUE(a["usage_limited_until"].is_null());
    EXPECT_TRUE(a["demoted_until"].is_null());
    const json b = account("acct-b");
    EXPECT_EQ(b["secondary"]["used_percent"], 30);
    EXPECT_EQ(b["secondary_evidence"]["source"], "event");  // the stream's event came after

    const json list = admin("GET", "/accounts?pool=team");
    EXPECT_TRUE(list["as_of"].is_string());
    EXPECT_EQ(list["accounts"].size(), 3u);
}

TEST_F(CapacityOverviewTest, AProbeOnDemandAsksTheUpstreamForAnAccountsQuotaNow) {
    const std::string id = harness_.accountId("acct-a");
    const json probed = admin("POST", "/accounts/" + id + "/probe");
    EXPECT_EQ(probed["primary"]["used_percent"], 40) << probed;
    EXPECT_EQ(probed["primary_evidence"]["source"], "probe");
    EXPECT_EQ(probed["secondary_evidence"]["source"], "probe");
    EXPECT_EQ(harness_.recordedAt("/backend-api/wham/usage").size(), 1u);
    const json team = admin("GET", "/capacity?pool=team")["pools"][0];
    EXPECT_EQ(team["five_hour"]["known"], 1);
    EXPECT_DOUBLE_EQ(team["five_hour"]["remaining_percent"].get<double>(), 60.0);

    EXPECT_EQ(admin("POST", "/accounts/acct_absent/probe", 404)["error"]["code"], "not_found");
    // The upstream no longer takes acct-b's token: the probe says so (and a refresh starts).
    ASSERT_EQ(harness_.emulatorControl("POST", "accounts/acct-b/expire-token"), 200);
    const json refused = admin("POST", "/accounts/" + harness_.accountId("acct-b") + "/probe", 503);
    EXPECT_EQ(refused["error"]["code"], "unavailable") << refused;
    EXPECT_NE(refused["error"]["message"].get<std::string>().find("401"), std::string::npos);
}

TEST_F(CapacityOverviewTest, AUsageLimitedAccountIsCoolingDownWithNothingLeftUntilItLifts) {
    harness_.setBehaviour("acct-a", R"({"mode":"usage_limit","resets_in":"1h"})");
    for (int i = 0; i < 3; ++i) {  // acct-a answers 429 once; its turn fails over
        ASSERT_TRUE(completedTurn(harness_.postResponses(GatewayHarness::turnBody())));
    }
    const json a = account("acct-a");
    EXPECT_EQ(a["state"], "cooling_down") << a;
    EXPECT_EQ(a["condition"], "usage_limited");
    ASSERT_TRUE(a["usage_limited_until"].is_string()) << a;
    const json team = admin("GET", "/capacity?pool=team")["pools"][0];
    EXPECT_EQ(team["by_state"]["cooling_down"], 1);
    EXPECT_EQ(team["by_state"]["ready"], 2);
    // acct-a is known to have nothing left; acct-b still has its 20%.
    EXPECT_EQ(team["five_hour"]["known"], 2);
    EXPECT_DOUBLE_EQ(team["five_hour"]["remaining_percent"].get<double>(), 20.0);
}

}  // namespace
}  // namespace sluice::integration
