// route-appserver in the gateway over HTTP, with the scripted fake app-server (the real
// `codex app-server` runs in e2e_appserver_projects): credentials per surface, owner isolation,
// the project lifecycle with an approval, files, and typed errors for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/auth/credential_token.hpp"
#include "core/control/credential_service.hpp"
#include "core/control/wallet_service.hpp"
#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

sdk::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

class AppServerProjectsTest : public ::testing::Test {
protected:
    AppServerProjectsTest() : harness_(options(state_.path())) {}

    static HarnessOptions options(const fs::path& state) {
        HarnessOptions options;
        options.emulator_script =
            "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { usage: { "
            "input_tokens: 1000, cached_tokens: 0, output_tokens: 100 } } }\n";
        options.accounts = {{"acct-a", "tok-a"}};
        options.billing = true;  // no key is linked to a wallet unless a test links it
        options.plugins = {"route-appserver"};
        options.extra_routes = {"{ family: codex_projects, config: { codex_command: \"" +
                                std::string(SLUICE_FAKE_APP_SERVER) + "\", projects_root: \"" +
                                (state / "projects").string() + "\", state_root: \"" +
                                (state / "homes").string() + "\", max_file_bytes: 64B } }"};
        return options;
    }

    HttpReply call(const std::string& method, const std::string& path, const json& body = nullptr,
                   const std::string& token = {}) {
        return harness_.request(method, "/api" + path, body.is_null() ? "" : body.dump(),
                                bearer(token.empty() ? harness_.key() : token), false);
    }
    std::string createProject() {
        const HttpReply created = call("POST", "/v1/projects", {{"name", "Landing Page Builder"}});
        EXPECT_EQ(created.status, 200) << created.body;
        return jsonOf(created)["project"]["id"];
    }
    std::string otherKey() {
        auto issued =
            core::control::CredentialService(harness_.control()).createKey("team", "other", "test");
        EXPECT_TRUE(issued.ok());
        return issued->raw;
    }

    sdk::testing::TempDirectory state_;
    GatewayHarness harness_;
};

TEST_F(AppServerProjectsTest, AProjectIsOpenedATurnAsksForApprovalAndAnEmptyResolveCompletesIt) {
    const std::string id = createProject();
    const HttpReply opened = call("POST", "/v1/projects/" + id + "/open", json::object());
    ASSERT_EQ(opened.status, 200) << opened.body;
    const std::string thread = jsonOf(opened)["threadId"];
    const HttpReply turn =
        call("POST", "/v1/projects/" + id + "/turns", {{"prompt", "approve it"}});
    ASSERT_EQ(turn.status, 200) << turn.body;
    EXPECT_EQ(jsonOf(turn)["threadId"], thread);
    json pending;
    ASSERT_TRUE(eventually([&] {
        const json listed = jsonOf(call("GET", "/v1/projects/" + id + "/approvals"));
        pending = listed["data"].empty() ? json() : listed["data"][0];
        return !pending.is_null();
    }));
    const HttpReply resolved =
        harness_.request("POST",
                         "/api/v1/projects/" + id + "/approvals/" +
                             pending["requestId"].get<std::string>() + "/resolve",
                         "", {{"Authorization", "Bearer " + harness_.key()}}, false);
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(jsonOf(resolved)["result"], (json{{"decision", "accept"}}));
    ASSERT_TRUE(eventually(
        [&] { return jsonOf(call("GET", "/v1/projects/" + id))["project"]["turns"] == 1; }));
    const json project = jsonOf(call("GET", "/v1/projects/" + id))["project"];
    EXPECT_EQ(project["usage"]["inputTokens"], 100);
    EXPECT_EQ(harness_.metric("sluice_appserver_turns_total", "outcome=\"completed\""), 1);
    EXPECT_FALSE(harness_.gatewayLog().find("approve it") != std::string::npos);
}

// The app-server's model calls come back through /backend-api/codex with a credential delegated
// from the owner's key, so the owner's wallet is charged in the request ledger's settle: each
// call by its response id, against the thread's baseline. The app-server's own usage
// notifications (re-emitted on resume) are never what is charged, so they cannot charge twice.
TEST_F(AppServerProjectsTest, ProjectTurnsAreChargedToTheOwnersWallet) {
    core::control::WalletService wallets(harness_.control());
    ASSERT_TRUE(wallets.createCustomer("ada", "test").ok());
    ASSERT_TRUE(
        wallets.linkKey("ada", core::auth::parseToken(harness_.key())->prefix, "test").ok());
    ASSERT_TRUE(wallets.setRateCard("*", {"2", "0.2", "15", "0"}, "test").ok());
    ASSERT_TRUE(wallets.adjust("ada", sdk::WalletEntryKind::Credit, "1", "prepaid", "test").ok());
    const std::string id = createProject();
    ASSERT_EQ(call("POST", "/v1/projects/" + id + "/open", json::object()).status, 200);

    std::vector<sdk::WalletTransactionRecord> charges;
    for (std::size_t turn = 1; turn <= 2; ++turn) {
        const HttpReply started =
            call("POST", "/v1/projects/" + id + "/turns", {{"prompt", "ask the model"}});
        ASSERT_EQ(started.status, 200) << started.body;
        ASSERT_TRUE(eventually([&] {
            charges = wallets.statement("ada", 10)->transactions;
            std::erase_if(charges, [](const auto& entry) {
                return entry.kind != sdk::WalletEntryKind::Charge;
            });
            return charges.size() == turn;
        })) << "turn "
            << turn << " was not charged";
    }
    // $2/M input, $15/M output: 1,000 input and 100 output tokens first (3,500 micro-USD); the
    // thread's second call reports the same 1,000 input, so it pays its output only (1,500).
    EXPECT_EQ(charges[1].cost_micro_usd, 3'500);  // newest first
    EXPECT_EQ(charges[0].cost_micro_usd, 1'500);
    EXPECT_NE(charges[0].idempotency_key, charges[1].idempotency_key);
    EXPECT_EQ(charges[0].idempotency_key.rfind("resp", 0), 0U) << charges[0].idempotency_key;
    EXPECT_EQ(wallets.statement("ada", 1)->owner.wallet.balance_micro_usd, 1'000'000 - 5'000);
}

// A turn would only spend through its model call, which the preflight refuses: the project
// routes refuse it up front in their envelope, before the app-server starts a turn. Opening a
// project without a prompt starts no turn and is not refused.
TEST_F(AppServerProjectsTest, AnEmptyWalletIsRefusedBeforeATurnStarts) {
    core::control::WalletService wallets(harness_.control());
    ASSERT_TRUE(wallets.createCustomer("ada", "test").ok());
    ASSERT_TRUE(
        wallets.linkKey("ada", core::auth::parseToken(harness_.key())->prefix, "test").ok());
    const std::string id = createProject();
    ASSERT_EQ(call("POST", "/v1/projects/" + id + "/open", json::object()).status, 200);

    for (const std::string path :
         {"/v1/projects/" + id + "/turns", "/v1/projects/" + id + "/open"}) {
        const HttpReply refused = call("POST", path, {{"prompt", "hi"}});
        EXPECT_EQ(refused.status, 402) << path << ": " << refused.body;
        EXPECT_EQ(jsonOf(refused)["error"]["code"], "insufficient_quota") << refused.body;
    }
    const HttpReply legacy = call("POST", "/turns", {{"threadId", "t-1"}, {"prompt", "hi"}});
    EXPECT_EQ(legacy.status, 402) << legacy.body;
    EXPECT_EQ(harness_.modelRequests(), 0);

    ASSERT_TRUE(wallets.adjust("ada", sdk::WalletEntryKind::Credit, "1", "prepaid", "test").ok());
    EXPECT_EQ(call("POST", "/v1/projects/" + id + "/turns", {{"prompt", "hi"}}).status, 200);
}

TEST_F(AppServerProjectsTest, AnotherKeySeesNoneOfTheProject) {
    const std::string id = createProject();
    const std::string other = otherKey();
    EXPECT_EQ(jsonOf(call("GET", "/v1/projects", nullptr, other))["data"].size(), 0U);
    for (const auto& [method, path] :
         std::vector<std::pair<std::string, std::string>>{{"GET", ""},
                                                          {"POST", "/open"},
                                                          {"POST", "/turns"},
                                                          {"GET", "/state"},
                                                          {"GET", "/approvals"},
                                                          {"GET", "/events"},
                                                          {"GET", "/files/tree"},
                                                          {"GET", "/files/content?path=a.txt"}}) {
        const HttpReply reply = call(method, "/v1/projects/" + id + path,
                                     method == "POST" ? json::object() : json(), other);
        EXPECT_EQ(reply.status, 404) << method << " " << path << ": " << reply.body;
        EXPECT_EQ(jsonOf(reply)["error"]["code"], "project_not_found");
    }
}

TEST_F(AppServerProjectsTest, TheAdminSurfaceTakesOnlyTheAdminToken) {
    createProject();
    ASSERT_EQ(call("GET", "/v1/skills").status, 502);  // the fake has no skills/list; it ran
    const std::string mcp = harness_.issueOperatorToken(sdk::OperatorTokenKind::Mcp, "m");
    const std::string admin = harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "a");
    for (const std::string& token : {harness_.key(), mcp}) {
        for (const auto& [method, path] :
             std::vector<std::pair<std::string, std::string>>{{"POST", "/codex/rpc"},
                                                              {"GET", "/codex/events"},
                                                              {"GET", "/server-requests"},
                                                              {"GET", "/system/status"},
                                                              {"POST", "/system/stop"}}) {
            const int status = call(method, path, json::object(), token).status;
            EXPECT_TRUE(status == 401 || status == 403) << path << " answered " << status;
        }
    }
    const json status = jsonOf(call("GET", "/system/status", nullptr, admin));
    ASSERT_EQ(status["processes"].size(), 1U);
    const std::string owner = status["processes"][0]["owner"];
    EXPECT_EQ(status["processes"][0]["phase"], "ready");
    const json echoed =
        jsonOf(call("POST", "/codex/rpc",
                    {{"owner", owner}, {"method", "test/echo"}, {"params", {{"a", 1}}}}, admin));
    EXPECT_EQ(echoed["result"], (json{{"a", 1}}));
    const json unknown =
        jsonOf(call("POST", "/codex/rpc", {{"owner", owner}, {"method", "no/such"}}, admin));
    EXPECT_EQ(unknown["error"]["code"], -32600);
    EXPECT_EQ(call("POST", "/codex/rpc", {{"method", "x"}}, admin).status, 400);
    const HttpReply stranger =
        call("POST", "/codex/rpc", {{"owner", "sk-sluice-nobody"}, {"method", "x"}}, admin);
    EXPECT_EQ(stranger.status, 404) << stranger.body;
    EXPECT_EQ(jsonOf(call("GET", "/system/status", nullptr, admin))["processes"].size(), 1U);
    EXPECT_EQ(jsonOf(call("GET", "/server-requests", nullptr, admin))["data"].size(), 0U);
}

TEST_F(AppServerProjectsTest, FilesAreConfinedAndCapped) {
    const std::string id = createProject();
    const std::string base = "/v1/projects/" + id + "/files/content";
    EXPECT_EQ(call("PUT", base, {{"path", "a/b.txt"}, {"content", "hello"}}).status, 200);
    EXPECT_EQ(jsonOf(call("GET", base + "?path=a/b.txt"))["content"], "hello");
    EXPECT_EQ(call("GET", base + "?path=../x").status, 400);
    EXPECT_EQ(call("GET", base + "?path=%2Fetc%2Fpasswd").status, 400);
    EXPECT_EQ(call("PUT", base, {{"path", "../x"}, {"content", "x"}}).status, 400);
    EXPECT_EQ(call("PUT", base, {{"path", "big.txt"}, {"content", std::string(65, 'x')}}).status,
              413);
    EXPECT_EQ(call("PUT", base, {{"path", "x"}}).status, 400);
    EXPECT_EQ(call("GET", base).status, 400);
    const json tree = jsonOf(call("GET", "/v1/projects/" + id + "/files/tree"));
    EXPECT_EQ(tree["entries"].size(), 2U);
}

TEST_F(AppServerProjectsTest, BadInputGetsTypedErrors) {
    const HttpReply garbage =
        harness_.request("POST", "/api/v1/projects", "{not json", bearer(harness_.key()), false);
    EXPECT_EQ(garbage.status, 400);
    EXPECT_EQ(jsonOf(garbage)["error"]["code"], "invalid_json");
    EXPECT_EQ(call("POST", "/v1/projects", {{"name", ""}}).status, 400);
    const std::string id = createProject();
    EXPECT_EQ(call("POST", "/v1/projects/" + id + "/turns", json::object()).status, 400);
    const HttpReply full = call("POST", "/v1/projects/" + id + "/turns",
                                {{"prompt", "x"}, {"sandbox", "danger-full-access"}});
    EXPECT_EQ(full.status, 403);
    EXPECT_EQ(jsonOf(full)["error"]["code"], "full_access_disabled");
    EXPECT_EQ(
        call("POST", "/v1/projects/" + id + "/approvals/req_nope/resolve", json::object()).status,
        404);
    EXPECT_EQ(call("GET", "/v1/projects/prj_missing").status, 404);
}

TEST_F(AppServerProjectsTest, LegacyThreadsStayInTheKeysWorkspaces) {
    const std::string id = createProject();
    const std::string cwd = jsonOf(call("GET", "/v1/projects/" + id))["project"]["cwd"];
    const HttpReply outside = call("POST", "/threads", {{"cwd", "/tmp"}});
    EXPECT_EQ(outside.status, 400);
    EXPECT_EQ(jsonOf(outside)["error"]["code"], "cwd_not_a_project");
    const HttpReply started = call("POST", "/threads", {{"cwd", cwd}});
    ASSERT_EQ(started.status, 200) << started.body;
    const std::string thread = jsonOf(started)["thread"]["id"];
    EXPECT_EQ(call("GET", "/threads/" + thread).status, 200);
    const HttpReply turn = call("POST", "/turns", {{"threadId", thread}, {"prompt", "hi"}});
    ASSERT_EQ(turn.status, 200) << turn.body;
    EXPECT_TRUE(jsonOf(turn)["turnId"].is_string());
    const HttpReply opened = call("POST", "/projects/open", {{"cwd", cwd}});
    ASSERT_EQ(opened.status, 200) << opened.body;
    EXPECT_EQ(jsonOf(opened)["project"]["id"], id);
}

}  // namespace
}  // namespace sluice::integration
