#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/control/control_context.hpp"
#include "core/ops/admin_operations.hpp"
#include "core/ops/schema.hpp"

/// Shared by the admin operation files; not used elsewhere.
namespace sluice::core::ops::admin {

using json = nlohmann::json;
namespace s = schema;

inline const std::set<sdk::CredentialKind> kOperators{sdk::CredentialKind::AdminToken,
                                                      sdk::CredentialKind::McpToken};
inline const std::set<sdk::CredentialKind> kAdmins{sdk::CredentialKind::AdminToken};

/// The audit actor of an operator call.
inline control::Actor actorOf(const OperationCall& call) {
    return "admin:" + call.caller.id;
}

/// An optional string parameter (already checked by the schema).
inline std::optional<std::string> optionalString(const json& params, const char* name) {
    const auto it = params.find(name);
    return it != params.end() && it->is_string()
               ? std::optional<std::string>(it->get<std::string>())
               : std::nullopt;
}

/// {"ok": true, ...}: the result of a mutation that returns nothing else.
inline json done(json fields = json::object()) {
    fields["ok"] = true;
    return fields;
}
inline json doneSchema(s::Members members = {}, std::vector<std::string> required = {}) {
    members.emplace_back("ok", s::boolean("the change was applied"));
    required.emplace_back("ok");
    return s::shape(members, required);
}

/// The `labels` parameter of the operations that add an account.
inline json labelsParam() {
    return {{"type", "object"},
            {"additionalProperties", s::text("label value", 120)},
            {"description", "labels strategies can read"}};
}
inline sdk::Labels labelsOf(const json& params) {
    sdk::Labels labels;
    // Named, not iterated as a temporary: items() would outlive it.
    const json given = params.value("labels", json::object());
    for (const auto& [name, value] : given.items()) {
        labels.emplace_back(name, value.get<std::string>());
    }
    return labels;
}

/// An upstream account as operators see it: the stored record with what the gateway has
/// learned about it while running (account_operations.cpp), and its schema.
json accountView(const sdk::AccountRecord& record, const AdminOperationsContext& context);
json accountSchema();

/// Page parameters shared by the log lists.
inline s::Members pageParams() {
    return {{"cursor", s::text("next_cursor of the previous page", 64)},
            {"limit", s::integer("items per page", 1, 500)},
            {"since", s::text("RFC 3339 time, inclusive", 40)},
            {"until", s::text("RFC 3339 time, exclusive", 40)}};
}

/// Parses an RFC 3339 parameter; InvalidArgument names it.
sdk::Result<std::optional<sdk::TimePoint>> timeParam(const json& params, const char* name);

void addServiceOperations(Operations& operations, const AdminOperationsContext& context);
void addCapacityOperations(Operations& operations, const AdminOperationsContext& context);
void addAlertOperations(Operations& operations, const AdminOperationsContext& context);
void addPoolAdminOperations(Operations& operations, const AdminOperationsContext& context);
void addAccountAdminOperations(Operations& operations, const AdminOperationsContext& context);
void addKeyAdminOperations(Operations& operations, const AdminOperationsContext& context);
void addWalletAdminOperations(Operations& operations, const AdminOperationsContext& context);
void addRecordOperations(Operations& operations, const AdminOperationsContext& context);
void addSignInAdminOperations(Operations& operations, const AdminOperationsContext& context);

}  // namespace sluice::core::ops::admin
