// route-admin and route-mcp in the gateway: the REST mapping onto the operations catalogue, the
// admin page, and the MCP endpoint's JSON-RPC and HTTP rules. Real clients (the MCP SDK and a
// browser) drive the same surfaces in tests/e2e/operator_surfaces.test.mjs.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "core/auth/credential_token.hpp"
#include "gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions options() {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-admin", "route-mcp"};
    o.extra_routes = {"{ family: admin }",
                      "{ family: mcp, config: { allowed_origins: [\"http://127.0.0.1:9999\"] } }"};
    return o;
}

class OperatorSurfacesTest : public ::testing::Test {
protected:
    OperatorSurfacesTest()
        : harness_(options()),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops")),
          mcp_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Mcp, "agent")) {}

    HttpReply admin(const std::string& method, const std::string& path,
                    const std::string& body = "") {
        return harness_.request(
            method, "/admin/api/v1" + path, body,
            {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}}, false);
    }

    HttpReply mcp(const json& message, sdk::Headers headers = {}) {
        headers.push_back({"Authorization", "Bearer " + mcp_});
        headers.push_back({"Content-Type", "application/json"});
        return harness_.request("POST", "/mcp", message.dump(), headers, false);
    }

    static json rpc(const std::string& method, const json& params = json::object()) {
        return {{"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", params}};
    }

    GatewayHarness harness_;
    std::string admin_;
    std::string mcp_;
};

TEST_F(OperatorSurfacesTest, RestRoutesMapOntoOperationsWithTypedErrors) {
    const HttpReply created =
        admin("POST", "/pools", R"({"pool":"night","strategy":"main","ring_size":2})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(json::parse(created.body)["ring_size"], 2);
    EXPECT_EQ(admin("POST", "/pools", R"({"pool":"night"})").status, 409);
    EXPECT_EQ(admin("GET", "/pools/night").status, 200);
    EXPECT_EQ(admin("PATCH", "/pools/night", R"({"ring_size":1})").status, 200);
    EXPECT_EQ(json::parse(admin("GET", "/pools/night").body)["ring_size"], 1);
    EXPECT_EQ(admin("GET", "/pools/absent").status, 404);

    const HttpReply bad_type = admin("GET", "/request-logs?limit=many");
    EXPECT_EQ(bad_type.status, 400);
    EXPECT_NE(bad_type.body.find("limit"), std::string::npos) << bad_type.body;
    const HttpReply unknown = admin("GET", "/keys?colour=blue");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("colour"), std::string::npos) << unknown.body;
    EXPECT_EQ(admin("POST", "/keys", "[1,2]").status, 400);
    EXPECT_EQ(admin("POST", "/pools/night", R"({"pool":"other"})").status, 405);
    EXPECT_EQ(admin("DELETE", "/pools/night").status, 200);

    const json rollup = json::parse(admin("GET", "/usage?group_by=day,model").body);
    EXPECT_EQ(rollup["group_by"], json::array({"day", "model"}));
}

TEST_F(OperatorSurfacesTest, KeyLifecycleThroughTheApiIsAudited) {
    const json issued = json::parse(admin("POST", "/keys", R"({"pool":"team","name":"ci"})").body);
    const std::string prefix = issued["record"]["prefix"];
    const sdk::Headers with_new_key{
        {"Authorization", "Bearer " + issued["key"].get<std::string>()}};
    EXPECT_EQ(harness_.request("GET", "/backend-api/codex/models", "", with_new_key, false).status,
              200);

    const HttpReply policy =
        admin("PUT", "/keys/" + prefix + "/policy", R"({"policy":{"requests_per_minute":5}})");
    ASSERT_EQ(policy.status, 200) << policy.body;
    EXPECT_EQ(json::parse(admin("GET", "/keys/" + prefix).body)["policy"]["requests_per_minute"],
              5);
    EXPECT_EQ(admin("POST", "/keys/" + prefix + "/revoke").status, 200);
    EXPECT_EQ(harness_.request("GET", "/backend-api/codex/models", "", with_new_key, false).status,
              401);
    EXPECT_EQ(admin("POST", "/keys/" + prefix + "/resume").status, 409) << "revoked is for good";

    const json audit = json::parse(admin("GET", "/audit-events?target=" + prefix).body);
    std::set<std::string> actions;
    for (const json& event : audit["events"]) {
        actions.insert(event["action"].get<std::string>() + ":" +
                       event["outcome"].get<std::string>());
        EXPECT_EQ(event["actor"].get<std::string>().rfind("admin:sluice-admin-", 0), 0u)
            << event.dump();
    }
    EXPECT_EQ(actions, (std::set<std::string>{"key.create:success", "key.set_policy:success",
                                              "key.revoke:success", "key.resume:failure"}))
        << audit.dump();
}

TEST_F(OperatorSurfacesTest, AdminApiTakesOnlyAdminTokens) {
    const auto status = [&](const std::string& token) {
        return harness_
            .request("GET", "/admin/api/v1/service", "", {{"Authorization", "Bearer " + token}},
                     false)
            .status;
    };
    EXPECT_EQ(status(admin_), 200);
    EXPECT_EQ(status(mcp_), 401);
    EXPECT_EQ(status(harness_.key()), 401);
    EXPECT_EQ(
        harness_.request("GET", "/admin/api/v1/service?token=" + admin_, "", {}, false).status,
        401);
}

TEST_F(OperatorSurfacesTest, AdminPageShipsItsAssetsWithAStrictPolicy) {
    const HttpReply page = harness_.request("GET", "/admin", "", {}, false);
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(page.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
    const std::regex asset(R"re((?:src|href)="(/admin/assets/[^"]+)")re");
    int assets = 0;
    for (std::sregex_iterator it(page.body.begin(), page.body.end(), asset), end; it != end;
         ++it, ++assets) {
        EXPECT_EQ(harness_.request("GET", (*it)[1], "", {}, false).status, 200) << (*it)[1];
    }
    EXPECT_EQ(assets, 6);  // style.css, overview.js, alerts.js, app.js, billing.js, requests.js
    EXPECT_EQ(harness_.request("GET", "/admin/assets/absent.js", "", {}, false).status, 404);
    EXPECT_EQ(page.body.find("http"), std::string::npos) << "no external resources";
}

TEST_F(OperatorSurfacesTest, EveryAdminOperationIsDocumentedWithItsRoute) {
    std::ifstream file(std::string(SLUICE_SOURCE_DIR) + "/docs/operations.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string doc = text.str();
    const json catalogue = json::parse(admin("GET", "/operations").body);
    ASSERT_FALSE(catalogue["operations"].empty());
    for (const json& operation : catalogue["operations"]) {
        const std::string name = operation["name"];
        const std::regex row(
            "\\| `" + std::regex_replace(name, std::regex("\\."), "\\.") +
            "` \\|[^|]*\\| `(GET|POST|PUT|PATCH|DELETE) /admin/api/v1([^`]*)` \\|");
        std::smatch match;
        ASSERT_TRUE(std::regex_search(doc, match, row))
            << name << " has no row with its admin route";
        // The documented route exists: only a missing route answers 404 with no JSON body of ours.
        std::string path = std::regex_replace(match[2].str(), std::regex("\\{[a-z_]+\\}"), "x");
        const HttpReply reply =
            admin(match[1], path, match[1] == "GET" || match[1] == "DELETE" ? "" : "{}");
        EXPECT_NE(reply.status, 405) << name << " " << match[1] << " " << path;
        EXPECT_EQ(reply.body.find("no route"), std::string::npos) << name << ": " << reply.body;
        // Each path parameter reaches the operation ("x" is then not found, never missing).
        const std::string route = match[2].str();
        const std::regex param_pattern("\\{([a-z_]+)\\}");
        for (std::sregex_iterator param(route.begin(), route.end(), param_pattern);
             param != std::sregex_iterator(); ++param) {
            EXPECT_EQ(reply.body.find((*param)[1].str() + ": required"), std::string::npos)
                << name << ": " << reply.body;
        }
    }
}

TEST_F(OperatorSurfacesTest, McpNegotiatesTheProtocolVersion) {
    for (const char* version : {"2025-06-18", "2025-11-25"}) {
        const json reply =
            json::parse(mcp(rpc("initialize", {{"protocolVersion", version},
                                               {"capabilities", json::object()},
                                               {"clientInfo", {{"name", "t"}, {"version", "1"}}}}))
                            .body);
        EXPECT_EQ(reply["result"]["protocolVersion"], version);
        EXPECT_TRUE(reply["result"]["capabilities"].contains("tools"));
    }
    const json future =
        json::parse(mcp(rpc("initialize", {{"protocolVersion", "2031-01-01"}})).body);
    EXPECT_EQ(future["result"]["protocolVersion"], "2025-11-25");
    EXPECT_EQ(mcp(rpc("ping"), {{"MCP-Protocol-Version", "2025-06-18"}}).status, 200);
    EXPECT_EQ(mcp(rpc("ping"), {{"MCP-Protocol-Version", "1999-01-01"}}).status, 400);
}

TEST_F(OperatorSurfacesTest, McpAnswersJsonRpcErrorsPrecisely) {
    EXPECT_EQ(mcp({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}).status, 202);
    const HttpReply batch = mcp(json::array({rpc("ping"), rpc("ping")}));
    EXPECT_EQ(batch.status, 400);
    EXPECT_EQ(json::parse(batch.body)["error"]["code"], -32600);
    const HttpReply garbage = harness_.request(
        "POST", "/mcp", "{not json",
        {{"Authorization", "Bearer " + mcp_}, {"Content-Type", "application/json"}}, false);
    EXPECT_EQ(json::parse(garbage.body)["error"]["code"], -32700);
    EXPECT_EQ(json::parse(mcp(rpc("resources/list")).body)["error"]["code"], -32601);
    EXPECT_EQ(
        json::parse(mcp(rpc("tools/call", {{"name", "keys.revoke"}, {"arguments", json::object()}}))
                        .body)["error"]["code"],
        -32602)
        << "mutating operations are not tools";
    const json failed = json::parse(
        mcp(rpc("tools/call", {{"name", "pools.get"}, {"arguments", {{"pool", "absent"}}}})).body);
    EXPECT_EQ(failed["result"]["isError"], true);
    const json listed = json::parse(mcp(rpc("tools/call", {{"name", "pools.list"}})).body);
    EXPECT_EQ(listed["result"]["structuredContent"]["pools"][0]["name"], "team");
}

// A value of `schema`'s type for a parameter the fixture has no value for.
json valueOfType(const json& schema) {
    if (schema.contains("enum")) {
        return schema["enum"][0];
    }
    const std::string type = schema.value("type", "string");
    if (type == "integer" || type == "number") {
        return schema.value("minimum", 1);
    }
    if (type == "boolean") {
        return false;
    }
    if (type == "object") {
        return json::object();
    }
    if (type == "array") {
        return json::array();
    }
    return "x";
}

TEST_F(OperatorSurfacesTest, EveryMcpToolRunsWithJustWhatItsSchemaRequires) {
    // Things that exist, for the parameters that name one: a file, a request log, an audit event,
    // a customer.
    const std::string account = harness_.accountId("acct-a");
    sdk::FileRecord file{"file-1", "team", account, "notes.txt", "user_data", 5, {}, {}};
    file.created_at = std::chrono::system_clock::now();
    file.expires_at = file.created_at + std::chrono::hours(1);
    ASSERT_TRUE(harness_.runtime().storage().files().put(file).ok());
    ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    const std::string request_log = harness_.requestLogsAtLeast(1).front().id;
    ASSERT_EQ(admin("POST", "/pools", R"({"pool":"night","strategy":"main"})").status, 201);
    ASSERT_EQ(admin("POST", "/customers", R"({"customer":"ada"})").status, 201);
    const json audit = json::parse(admin("GET", "/audit-events").body);
    const std::map<std::string, json> existing{
        {"pool", "team"},
        {"account", account},
        {"key", core::auth::parseToken(harness_.key())->prefix},
        {"customer", "ada"},
        {"files.get id", file.id},
        {"request_logs.get id", request_log},
        {"audit.get id", audit["events"][0]["id"]},
    };

    const json tools = json::parse(mcp(rpc("tools/list")).body)["result"]["tools"];
    ASSERT_GE(tools.size(), 15U);
    for (const json& tool : tools) {
        const std::string name = tool["name"];
        const json& schema = tool["inputSchema"];
        json arguments = json::object();
        for (const json& required : schema.value("required", json::array())) {
            const std::string parameter = required;
            const auto specific = existing.find(name + " " + parameter);
            const auto general = existing.find(parameter);
            arguments[parameter] = specific != existing.end() ? specific->second
                                   : general != existing.end()
                                       ? general->second
                                       : valueOfType(schema["properties"][parameter]);
        }
        const json reply =
            json::parse(mcp(rpc("tools/call", {{"name", name}, {"arguments", arguments}})).body);
        EXPECT_EQ(reply["result"]["isError"], false)
            << name << " " << arguments.dump() << ": " << reply.dump();
    }
}

TEST_F(OperatorSurfacesTest, McpRefusesForeignOriginsAndOtherMediaTypes) {
    EXPECT_EQ(mcp(rpc("ping"), {{"Origin", "http://127.0.0.1:9999"}}).status, 200);
    EXPECT_EQ(mcp(rpc("ping"), {{"Origin", "http://evil.example"}}).status, 403);
    const HttpReply text = harness_.request(
        "POST", "/mcp", rpc("ping").dump(),
        {{"Authorization", "Bearer " + mcp_}, {"Content-Type", "text/plain"}}, false);
    EXPECT_EQ(text.status, 415);
    const HttpReply get =
        harness_.request("GET", "/mcp", "", {{"Authorization", "Bearer " + mcp_}}, false);
    EXPECT_EQ(get.status, 405);
    EXPECT_EQ(get.header("Allow"), "POST, OPTIONS");
}

}  // namespace
}  // namespace sluice::integration
