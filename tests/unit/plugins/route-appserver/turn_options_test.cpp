#include "turn_options.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_appserver {
namespace {

using json = nlohmann::json;

const TurnDefaults kDefaults{"gpt-5.5", "medium", "untrusted", "workspace-write"};

TurnOptions parsed(const json& body, bool allow_full_access = false) {
    auto options = parseTurnOptions(body, kDefaults, allow_full_access);
    EXPECT_TRUE(std::holds_alternative<TurnOptions>(options))
        << std::get<sdk::ErrorInfo>(options).message;
    return std::get<TurnOptions>(options);
}

int refused(const json& body, bool allow_full_access = false) {
    auto options = parseTurnOptions(body, kDefaults, allow_full_access);
    return std::holds_alternative<sdk::ErrorInfo>(options)
               ? std::get<sdk::ErrorInfo>(options).http_status
               : 0;
}

TEST(TurnOptionsTest, DefaultsApplyWhenTheRequestSaysNothing) {
    const TurnOptions options = parsed(json::object());
    const json thread = threadParams(options, "/ws");
    EXPECT_EQ(thread, (json{{"cwd", "/ws"},
                            {"model", "gpt-5.5"},
                            {"approvalPolicy", "untrusted"},
                            {"sandbox", "workspace-write"}}));
    const json turn = turnParams(options, "t1", "/ws", json::array());
    EXPECT_EQ(turn["effort"], "medium");
    EXPECT_FALSE(turn.contains("sandboxPolicy"));
    EXPECT_FALSE(turn.contains("permissions"));
}

TEST(TurnOptionsTest, OverridesReachThreadAndTurn) {
    const TurnOptions options = parsed({{"model", "gpt-6-sol"},
                                        {"effort", "high"},
                                        {"approvalPolicy", "never"},
                                        {"sandbox", "readOnly"}});
    EXPECT_EQ(threadParams(options, "/ws")["sandbox"], "read-only");
    const json turn = turnParams(options, "t1", "/ws", json::array());
    EXPECT_EQ(turn["model"], "gpt-6-sol");
    EXPECT_EQ(turn["effort"], "high");
    EXPECT_EQ(turn["approvalPolicy"], "never");
    EXPECT_EQ(turn["sandboxPolicy"], (json{{"type", "readOnly"}}));
}

TEST(TurnOptionsTest, LegacySandboxPolicyIsNormalisedToTheWireEnum) {
    EXPECT_EQ(parsed({{"sandboxPolicy", "workspace-write"}}).sandbox_policy,
              (json{{"type", "workspaceWrite"}}));
    const TurnOptions options =
        parsed({{"sandboxPolicy", {{"type", "workspace-write"}, {"networkAccess", true}}}});
    EXPECT_EQ(options.sandbox_policy, (json{{"type", "workspaceWrite"}, {"networkAccess", true}}));
    EXPECT_EQ(refused({{"sandboxPolicy", {{"type", "bogus"}}}}), 400);
}

TEST(TurnOptionsTest, PermissionsOrPermissionProfileSelectAProfile) {
    EXPECT_EQ(parsed({{"permissions", ":workspace"}}).permissions, ":workspace");
    EXPECT_EQ(parsed({{"permissionProfile", ":read-only"}}).permissions, ":read-only");
    EXPECT_EQ(refused({{"permissions", ":workspace"}, {"sandboxPolicy", "readOnly"}}), 400);
    EXPECT_EQ(refused({{"permissions", 3}}), 400);
}

TEST(TurnOptionsTest, FullAccessNeedsTheOperatorsConsent) {
    EXPECT_EQ(refused({{"sandbox", "danger-full-access"}}), 403);
    EXPECT_EQ(refused({{"sandboxPolicy", {{"type", "dangerFullAccess"}}}}), 403);
    EXPECT_EQ(refused({{"permissions", ":danger-full-access"}}), 403);
    EXPECT_EQ(parsed({{"sandbox", "danger-full-access"}}, true).sandbox, "danger-full-access");
}

TEST(TurnOptionsTest, BadValuesAre400) {
    EXPECT_EQ(refused({{"effort", "extreme"}}), 400);
    EXPECT_EQ(refused({{"model", ""}}), 400);
    EXPECT_EQ(refused({{"approvalPolicy", "sometimes"}}), 400);
    EXPECT_EQ(refused({{"sandbox", "wide-open"}}), 400);
}

TEST(TurnOptionsTest, InputIsAPromptOrItems) {
    EXPECT_EQ(std::get<json>(turnInput({{"prompt", "hi"}}, true)),
              json::parse(R"([{"type":"text","text":"hi"}])"));
    const json items = json::parse(R"([{"type":"text","text":"a"},{"type":"image","url":"u"}])");
    EXPECT_EQ(std::get<json>(turnInput({{"input", items}}, true)), items);
    EXPECT_TRUE(std::get<json>(turnInput(json::object(), false)).is_null());
    EXPECT_TRUE(std::holds_alternative<sdk::ErrorInfo>(turnInput(json::object(), true)));
    EXPECT_TRUE(std::holds_alternative<sdk::ErrorInfo>(turnInput({{"prompt", ""}}, true)));
    EXPECT_TRUE(std::holds_alternative<sdk::ErrorInfo>(turnInput({{"input", {1}}}, true)));
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
