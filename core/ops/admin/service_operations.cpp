#include "core/accounting/utc_time.hpp"
#include "core/control/credential_service.hpp"
#include "core/control/pool_service.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

void addServiceOperations(Operations& operations, const AdminOperationsContext& context) {
    json by_condition_schema = s::shape({});
    for (std::size_t i = 0; i < routing::kAccountConditions; ++i) {
        by_condition_schema["properties"][routing::accountConditionName(
            static_cast<routing::AccountCondition>(i))] = s::integer("accounts in this condition");
    }

    operations.add(
        {"service.status", kOperators, false,
         "Gateway version, uptime, and how many pools, accounts (by condition) and keys it has",
         s::params({}),
         s::shape(
             {{"version", s::text("gateway version")},
              {"started_at", views::timeSchema("process start")},
              {"uptime_seconds", s::integer("seconds since start")},
              {"storage", s::oneOf("storage reachability", {"ok", "unreachable"})},
              {"pools", s::integer("pools")},
              {"accounts",
               s::shape({{"total", s::integer("accounts")}, {"by_condition", by_condition_schema}},
                        {"total", "by_condition"})},
              {"keys", s::shape({{"active", s::integer("active keys")},
                                 {"paused", s::integer("paused keys")},
                                 {"revoked", s::integer("revoked keys")}},
                                {"active", "paused", "revoked"})}},
             {"version", "started_at", "uptime_seconds", "storage", "pools", "accounts", "keys"}),
         [context](const OperationCall&) -> sdk::Result<json> {
             const auto now = context.clock.now();
             const auto snapshot = context.routing.snapshot();
             json by_condition = json::object();
             for (std::size_t i = 0; i < routing::kAccountConditions; ++i) {
                 by_condition[routing::accountConditionName(
                     static_cast<routing::AccountCondition>(i))] = 0;
             }
             const routing::RouteQuery any_model;
             for (const auto& [id, account] : snapshot->accounts) {
                 auto& count = by_condition[routing::accountConditionName(
                     context.planner.assess(*account, any_model, now).condition)];
                 count = count.get<int>() + 1;
             }
             json keys{{"active", 0}, {"paused", 0}, {"revoked", 0}};
             auto stored_keys = control::CredentialService(context.control).listKeys(std::nullopt);
             if (!stored_keys.ok()) {
                 return stored_keys.status();
             }
             for (const auto& key : stored_keys.value()) {
                 auto& count = keys[control::credentialStatusName(key.status)];
                 count = count.get<int>() + 1;
             }
             return json{{"version", SLUICE_VERSION},
                         {"started_at", views::time(context.started_at)},
                         {"uptime_seconds", accounting::unixSeconds(now) -
                                                accounting::unixSeconds(context.started_at)},
                         {"storage", context.control.storage.ping().ok() ? "ok" : "unreachable"},
                         {"pools", snapshot->pools.size()},
                         {"accounts",
                          {{"total", snapshot->accounts.size()},
                           {"by_condition", std::move(by_condition)}}},
                         {"keys", std::move(keys)}};
         }});

    const json token_list =
        s::shape({{"tokens", s::listOf(views::operatorTokenSchema())}}, {"tokens"});
    operations.add({"mcp_tokens.list", kAdmins, false, "MCP tokens (metadata only)", s::params({}),
                    token_list, [context](const OperationCall&) -> sdk::Result<json> {
                        auto tokens = control::CredentialService(context.control)
                                          .listTokens(sdk::OperatorTokenKind::Mcp);
                        if (!tokens.ok()) {
                            return tokens.status();
                        }
                        json list = json::array();
                        for (const auto& token : tokens.value()) {
                            list.push_back(views::operatorToken(token));
                        }
                        return json{{"tokens", std::move(list)}};
                    }});

    operations.add(
        {"mcp_tokens.create", kAdmins, true,
         "Issue an MCP token; the token itself is in this answer only",
         s::params({{"name", s::text("what it is for", 120)}}, {"name"}),
         s::shape({{"token", s::text("the MCP token: store it now")},
                   {"record", views::operatorTokenSchema()}},
                  {"token", "record"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             auto issued =
                 control::CredentialService(context.control)
                     .createToken(sdk::OperatorTokenKind::Mcp, call.params["name"], actorOf(call));
             if (!issued.ok()) {
                 return issued.status();
             }
             return json{{"token", issued->raw}, {"record", views::operatorToken(issued->record)}};
         }});

    operations.add(
        {"mcp_tokens.revoke", kAdmins, true, "Revoke an MCP token for good",
         s::params({{"token", s::text("token prefix", 64)}}, {"token"}), doneSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             auto tokens = control::CredentialService(context.control)
                               .listTokens(sdk::OperatorTokenKind::Mcp);
             if (!tokens.ok()) {
                 return tokens.status();
             }
             const std::string prefix = call.params["token"];
             const bool known = std::any_of(tokens->begin(), tokens->end(), [&](const auto& token) {
                 return token.prefix == prefix;
             });
             if (!known) {
                 return sdk::Status(sdk::StatusCode::NotFound, "no MCP token " + prefix);
             }
             const auto status =
                 control::CredentialService(context.control).revokeToken(prefix, actorOf(call));
             if (!status.ok()) {
                 return status;
             }
             return done();
         }});
}

}  // namespace sluice::core::ops::admin
