// The operations catalogue through the gateway's operate path (admin token, MCP token, Pool
// API key, each authenticated by the real gateway): every result matches the output schema the
// catalogue declares, every operator mutation is audited, and each credential runs only what it
// may.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/auth/credential_token.hpp"
#include "core/ops/json_schema.hpp"
#include "sluice/sdk/abi.hpp"
#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/operations_route.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

enum class Caller { Admin, Mcp, Key };

struct OperationReply {
    int status = 0;
    json body;
};

HarnessOptions options() {
    HarnessOptions o = GatewayHarness::twoAccounts();
    o.extra_pools_yaml = "night: { strategy: main }";
    o.billing = true;  // the customer.* operations read the wallet book
    o.plugins = {"route-operations-probe"};
    o.builtins = {
        {"route-operations-probe", &sdk::detail::registerTrampoline<registerOperationsRoute>}};
    o.extra_routes = {"{ family: operations_probe, mount: /ops }"};
    return o;
}

json authJson(const std::string& account_id) {
    return {{"auth_mode", "chatgpt"},
            {"tokens",
             {{"access_token", "tok-" + account_id},
              {"refresh_token", "rt-" + account_id},
              {"account_id", account_id}}}};
}

class OperationsCatalogueTest : public ::testing::Test {
protected:
    OperationsCatalogueTest() : harness_(options()) {
        admin_token_ = harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
        admin_prefix_ = core::auth::parseToken(admin_token_)->prefix;
        mcp_token_ = harness_.issueOperatorToken(sdk::OperatorTokenKind::Mcp, "agent");
        key_prefix_ = core::auth::parseToken(harness_.key())->prefix;
        for (const Caller caller : {Caller::Admin, Caller::Mcp, Caller::Key}) {
            const OperationReply listed = call(caller, "operations.list");
            for (const json& operation : listed.body.value("operations", json::array())) {
                catalogue_[operation["name"].get<std::string>()] = operation;
            }
        }
    }

    OperationReply call(Caller caller, const std::string& operation,
                        const json& params = json::object()) {
        const std::string& credential = caller == Caller::Admin  ? admin_token_
                                        : caller == Caller::Mcp  ? mcp_token_
                                        : !key_override_.empty() ? key_override_
                                                                 : harness_.key();
        const char* surface = caller == Caller::Admin ? "admin"
                              : caller == Caller::Mcp ? "mcp"
                                                      : "key";
        const HttpReply reply =
            harness_.request("POST", std::string("/ops/") + surface + "/" + operation,
                             params.dump(), {{"Authorization", "Bearer " + credential}}, false);
        return {reply.status, json::parse(reply.body, nullptr, false)};
    }

    // Runs an operation that must succeed, checks its result against the declared output
    // schema and, for a mutation, that it left an audit event naming the caller.
    json succeed(Caller caller, const std::string& operation, const json& params = json::object()) {
        const std::set<std::string> audited = auditIds();
        const OperationReply reply = call(caller, operation, params);
        EXPECT_EQ(reply.status, 200) << operation << ": " << reply.body.dump();
        const auto spec = catalogue_.find(operation);
        if (spec == catalogue_.end()) {
            ADD_FAILURE() << operation << " is not in the catalogue";
            return reply.body;
        }
        if (const auto problem =
                core::ops::schemaViolation(spec->second["output_schema"], reply.body)) {
            ADD_FAILURE() << operation << " broke its output schema: " << *problem << "\n"
                          << reply.body.dump();
        }
        if (spec->second["mutating"].get<bool>() && caller == Caller::Admin) {
            expectAuditedSince(audited, "success", operation);
        }
        covered_.insert(operation);
        return reply.body;
    }

    std::vector<sdk::AuditRecord> auditEvents() {
        sdk::AuditQuery query;
        query.limit = 1000;
        return harness_.runtime().storage().audit().query(query)->items;
    }

    std::set<std::string> auditIds() {
        std::set<std::string> ids;
        for (const sdk::AuditRecord& event : auditEvents()) {
            ids.insert(event.id);
        }
        return ids;
    }

    std::size_t auditCount() { return auditEvents().size(); }

    /// An audit event written since `before` names the admin, an action, a target and
    /// `outcome`. Not "the latest event": events of one clock tick have no order between them.
    void expectAuditedSince(const std::set<std::string>& before, const std::string& outcome,
                            const std::string& operation) {
        bool found = false;
        for (const sdk::AuditRecord& event : auditEvents()) {
            found = found || (!before.count(event.id) && event.outcome == outcome &&
                              event.actor == "admin:" + admin_prefix_ && !event.action.empty() &&
                              !event.target.empty());
        }
        EXPECT_TRUE(found) << operation << " wrote no " << outcome << " audit event";
    }

    std::string accountId(const std::string& label) { return harness_.accountId(label); }

    GatewayHarness harness_;
    std::string admin_token_;
    std::string admin_prefix_;
    std::string mcp_token_;
    std::string key_prefix_;
    std::string key_override_;  ///< the Pool key Caller::Key sends, when not the harness key
    std::map<std::string, json> catalogue_;
    std::set<std::string> covered_;
};

TEST_F(OperationsCatalogueTest, EveryOperationAnswersWhatItsSchemaDeclaresAndMutationsAreAudited) {
    ASSERT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    ASSERT_FALSE(harness_.requestLogsAtLeast(1).empty());

    succeed(Caller::Admin, "operations.list");
    succeed(Caller::Admin, "service.status");
    succeed(Caller::Admin, "pools.capacity");
    succeed(Caller::Admin, "alerts.list");
    succeed(Caller::Admin, "pools.list");
    succeed(Caller::Admin, "pools.get", {{"pool", "team"}});
    succeed(Caller::Admin, "pools.create", {{"pool", "batch"}, {"ring_size", 2}});
    succeed(Caller::Admin, "pools.update",
            {{"pool", "batch"}, {"ring_size", 3}, {"sticky_sessions", true}});

    succeed(Caller::Admin, "accounts.list");
    succeed(Caller::Admin, "accounts.get", {{"account", accountId("acct-a")}});
    succeed(Caller::Admin, "accounts.quotas", {{"account", accountId("acct-a")}});
    succeed(Caller::Admin, "accounts.probe", {{"account", accountId("acct-a")}});
    const json imported = succeed(Caller::Admin, "accounts.import",
                                  {{"pool", "batch"},
                                   {"auth_json", authJson("acct-c")},
                                   {"label", "imported"},
                                   {"labels", {{"tier", "pro"}}}});
    const std::string imported_id = imported.value("id", "");
    succeed(Caller::Admin, "accounts.pause", {{"account", imported_id}});
    succeed(Caller::Admin, "accounts.resume", {{"account", imported_id}});
    succeed(Caller::Admin, "accounts.delete", {{"account", imported_id}});
    succeed(Caller::Admin, "pools.delete", {{"pool", "batch"}});
    // A device sign-in against the emulator's auth server; it waits for its user (not approved).
    const json sign_in =
        succeed(Caller::Admin, "sign_ins.start", {{"pool", "team"}, {"label", "signed-in"}});
    succeed(Caller::Admin, "sign_ins.get", {{"sign_in", sign_in.value("sign_in", "")}});

    succeed(Caller::Admin, "keys.list");
    succeed(Caller::Admin, "keys.get", {{"key", key_prefix_}});
    const json issued = succeed(Caller::Admin, "keys.create",
                                {{"pool", "team"},
                                 {"name", "ci"},
                                 {"policy", {{"requests_per_minute", 5}}},
                                 {"gateway_url", "https://sluice.example.test"}});
    const std::string prefix = issued["record"].value("prefix", "");
    EXPECT_EQ(issued["record"]["policy"], json({{"requests_per_minute", 5}}));
    EXPECT_EQ(issued["codex"]["base_url"], "https://sluice.example.test/backend-api/codex");
    succeed(Caller::Admin, "keys.set_policy",
            {{"key", prefix},
             {"policy", {{"allowed_models", {"gpt-5.5"}}, {"max_reasoning_effort", "low"}}}});
    succeed(Caller::Admin, "keys.rotate", {{"key", prefix}});
    succeed(Caller::Admin, "keys.pause", {{"key", prefix}});
    succeed(Caller::Admin, "keys.resume", {{"key", prefix}});
    succeed(Caller::Admin, "keys.revoke", {{"key", prefix}});

    succeed(Caller::Admin, "customers.create", {{"customer", "ada"}});
    succeed(Caller::Admin, "customers.list");
    succeed(Caller::Admin, "customers.set_username_bearer",
            {{"customer", "ada"}, {"enabled", true}});
    succeed(Caller::Admin, "wallets.link_key", {{"customer", "ada"}, {"key", key_prefix_}});
    succeed(Caller::Admin, "wallets.credit",
            {{"customer", "ada"}, {"amount_usd", "12.50"}, {"reason", "prepaid"}});
    succeed(Caller::Admin, "wallets.debit",
            {{"customer", "ada"}, {"amount_usd", "0.25"}, {"reason", "refund"}});
    const json wallet = succeed(Caller::Admin, "wallets.get", {{"customer", "ada"}, {"limit", 5}});
    EXPECT_EQ(wallet["customer"]["balance_usd"], "12.250000");
    EXPECT_EQ(wallet["transactions"].size(), 2u);
    succeed(Caller::Key, "customer.profile", {{"gateway_url", "https://gw.example.com"}});
    succeed(Caller::Key, "customer.wallet");
    succeed(Caller::Key, "customer.token_usage", {{"limit", 5}, {"days", 2}});
    succeed(Caller::Key, "customer.keys.list");
    const json phone = succeed(Caller::Key, "customer.keys.create", {{"name", "phone"}});
    key_override_ = phone.value("key", "");
    succeed(Caller::Key, "customer.key.rotate");
    key_override_.clear();
    succeed(Caller::Key, "customer.keys.revoke", {{"key", phone["record"].value("prefix", "")}});
    EXPECT_EQ(succeed(Caller::Key, "wallet.preflight")["refused"], false) << "12.25 USD left";
    succeed(Caller::Admin, "wallets.unlink_key", {{"customer", "ada"}, {"key", key_prefix_}});
    const json card = succeed(Caller::Admin, "rate_cards.set",
                              {{"model", "gpt-5.5"},
                               {"input_per_million_usd", "1.25"},
                               {"cached_input_per_million_usd", "0.125"},
                               {"output_per_million_usd", "10"},
                               {"per_call_usd", "0.0001"}});
    EXPECT_EQ(card["version"], 1);
    EXPECT_EQ(card["per_call_usd"], "0.000100");
    const json adjusted = succeed(Caller::Admin, "rate_cards.adjust_percent", {{"percent", "10"}});
    ASSERT_EQ(adjusted["rate_cards"].size(), 1u);
    EXPECT_EQ(adjusted["rate_cards"][0]["version"], 2);
    EXPECT_EQ(adjusted["rate_cards"][0]["input_per_million_usd"], "1.375000");
    EXPECT_EQ(adjusted["rate_cards"][0]["per_call_usd"], "0.000110");
    succeed(Caller::Admin, "rate_cards.list");

    const json logs =
        succeed(Caller::Admin, "request_logs.list", {{"pool", "team"}, {"limit", 10}});
    ASSERT_FALSE(logs["requests"].empty());
    succeed(Caller::Admin, "request_logs.get", {{"id", logs["requests"][0]["id"]}});
    const json events = succeed(Caller::Admin, "audit.list", {{"limit", 5}});
    ASSERT_FALSE(events["events"].empty());
    succeed(Caller::Admin, "audit.get", {{"id", events["events"][0]["id"]}});
    succeed(Caller::Admin, "usage.rollup", {{"group_by", {"day", "key", "model"}}});

    succeed(Caller::Admin, "mcp_tokens.list");
    const json token = succeed(Caller::Admin, "mcp_tokens.create", {{"name", "bot"}});
    succeed(Caller::Admin, "mcp_tokens.revoke", {{"token", token["record"].value("prefix", "")}});

    succeed(Caller::Admin, "route.explain",
            {{"pool", "team"}, {"model", "gpt-5.5"}, {"session", "s1"}});
    succeed(Caller::Admin, "pool.accounts", {{"pool", "team"}});
    succeed(Caller::Admin, "pool.usage", {{"pool", "team"}});
    succeed(Caller::Key, "files.register",
            {{"id", "file-1"},
             {"account_id", accountId("acct-a")},
             {"filename", "notes.txt"},
             {"purpose", "user_data"},
             {"bytes", 12}});
    succeed(Caller::Admin, "files.list", {{"pool", "team"}});
    succeed(Caller::Admin, "files.get", {{"pool", "team"}, {"id", "file-1"}});
    succeed(Caller::Key, "key.usage", {{"days", 7}});

    for (const auto& [name, spec] : catalogue_) {
        EXPECT_TRUE(covered_.count(name)) << name << " was never run";
    }
}

TEST_F(OperationsCatalogueTest, AFailedMutationIsAuditedAsAFailure) {
    const std::set<std::string> audited = auditIds();
    const OperationReply refused =
        call(Caller::Admin, "keys.pause", {{"key", "sk-sluice-000000000000"}});
    EXPECT_EQ(refused.status, 404) << refused.body.dump();
    expectAuditedSince(audited, "failure", "keys.pause");
}

TEST_F(OperationsCatalogueTest, BillingMutationsRefuseBadInputWithATypedErrorAndAuditIt) {
    succeed(Caller::Admin, "customers.create", {{"customer", "ada"}});
    succeed(Caller::Admin, "customers.create", {{"customer", "bob"}});
    succeed(Caller::Admin, "wallets.link_key", {{"customer", "ada"}, {"key", key_prefix_}});

    const auto refused = [&](const std::string& operation, const json& params, int status) {
        const std::set<std::string> audited = auditIds();
        const OperationReply reply = call(Caller::Admin, operation, params);
        EXPECT_EQ(reply.status, status) << operation << ": " << reply.body.dump();
        EXPECT_FALSE(reply.body.value("error", "").empty()) << operation;
        expectAuditedSince(audited, "failure", operation);
    };
    refused("customers.create", {{"customer", "ada"}}, 409);
    refused("wallets.credit", {{"customer", "ada"}, {"amount_usd", "1e3"}, {"reason", "x"}}, 400);
    refused("wallets.credit", {{"customer", "ada"}, {"amount_usd", "-5"}, {"reason", "x"}}, 400);
    refused("wallets.credit", {{"customer", "zed"}, {"amount_usd", "5"}, {"reason", "x"}}, 404);
    refused("wallets.debit", {{"customer", "ada"}, {"amount_usd", "0.01"}, {"reason", "x"}}, 409);
    refused("wallets.link_key", {{"customer", "bob"}, {"key", key_prefix_}}, 409);
    refused("wallets.unlink_key", {{"customer", "bob"}, {"key", key_prefix_}}, 409);
    refused("wallets.link_key", {{"customer", "bob"}, {"key", "sk-sluice-000000000000"}}, 404);
    refused("rate_cards.set",
            {{"model", "gpt-5.5"},
             {"input_per_million_usd", "1"},
             {"cached_input_per_million_usd", "0.1"},
             {"output_per_million_usd", "ten"}},
            400);
    refused("rate_cards.adjust_percent", {{"percent", "10"}}, 409);
    refused("rate_cards.adjust_percent", {{"percent", "0.125"}}, 400);
    EXPECT_EQ(call(Caller::Admin, "wallets.get", {{"customer", "zed"}}).status, 404);
    EXPECT_EQ(call(Caller::Admin, "rate_cards.list").body["rate_cards"].size(), 0u);
}

TEST_F(OperationsCatalogueTest, AnMcpTokenRunsNoMutatingOperation) {
    const OperationReply listed = call(Caller::Mcp, "operations.list");
    ASSERT_EQ(listed.status, 200);
    for (const json& operation : listed.body["operations"]) {
        EXPECT_FALSE(operation["mutating"].get<bool>()) << operation["name"];
    }
    const std::size_t audited = auditCount();
    int mutating = 0;
    for (const auto& [name, spec] : catalogue_) {
        if (!spec["mutating"].get<bool>()) {
            continue;
        }
        ++mutating;
        const OperationReply reply = call(Caller::Mcp, name, {{"pool", "team"}});
        EXPECT_EQ(reply.status, 403) << name << ": " << reply.body.dump();
    }
    EXPECT_GE(mutating, 10);
    EXPECT_EQ(auditCount(), audited);
    succeed(Caller::Mcp, "service.status");
    succeed(Caller::Mcp, "keys.list");
    succeed(Caller::Mcp, "alerts.list", {{"phase", "firing"}});
}

TEST_F(OperationsCatalogueTest, APoolKeyActsOnlyOnItsOwnPool) {
    const json night =
        succeed(Caller::Admin, "accounts.import",
                {{"pool", "night"}, {"auth_json", authJson("acct-n")}, {"label", "night-seat"}});

    const OperationReply listed = call(Caller::Key, "operations.list");
    ASSERT_EQ(listed.status, 200);
    std::set<std::string> offered;
    for (const json& operation : listed.body["operations"]) {
        offered.insert(operation["name"].get<std::string>());
    }
    EXPECT_EQ(offered,
              (std::set<std::string>{
                  "customer.key.rotate", "customer.keys.create", "customer.keys.list",
                  "customer.keys.revoke", "customer.profile", "customer.token_usage",
                  "customer.wallet", "files.get", "files.list", "files.register", "key.usage",
                  "operations.list", "pool.accounts", "pool.usage", "wallet.preflight"}));
    for (const char* operator_only :
         {"pools.list", "keys.list", "accounts.list", "route.explain", "audit.list"}) {
        EXPECT_EQ(call(Caller::Key, operator_only).status, 403) << operator_only;
    }

    // Naming another pool changes nothing: a key always acts on its own.
    const json accounts = succeed(Caller::Key, "pool.accounts", {{"pool", "night"}});
    EXPECT_EQ(accounts["pool"], "team");
    for (const json& account : accounts["accounts"]) {
        EXPECT_NE(account["id"], night["id"]);
    }
    const OperationReply foreign =
        call(Caller::Key, "files.register", {{"id", "file-n"}, {"account_id", night["id"]}});
    EXPECT_EQ(foreign.status, 400) << foreign.body.dump();
    EXPECT_EQ(call(Caller::Admin, "files.get", {{"pool", "night"}, {"id", "file-n"}}).status, 404);
}

TEST_F(OperationsCatalogueTest, ParametersOutsideTheInputSchemaAreRefusedBeforeAnythingRuns) {
    const std::size_t audited = auditCount();
    EXPECT_EQ(call(Caller::Admin, "pools.create", {{"pool", "x"}, {"ring_size", 0}}).status, 400);
    EXPECT_EQ(call(Caller::Admin, "pools.create", {{"pool", "x"}, {"colour", "red"}}).status, 400);
    EXPECT_EQ(call(Caller::Admin, "keys.create", {{"pool", "team"}}).status, 400);
    EXPECT_EQ(call(Caller::Admin, "keys.create",
                   {{"pool", "team"}, {"name", "x"}, {"gateway_url", "https://h/path"}})
                  .status,
              400);
    EXPECT_EQ(auditCount(), audited);
    EXPECT_EQ(call(Caller::Admin, "no.such_operation").status, 400);
}

}  // namespace
}  // namespace sluice::integration
