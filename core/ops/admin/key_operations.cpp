#include "core/control/credential_service.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/snippet_views.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

namespace {

const json kKeyPrefix = s::text("key prefix (sk-sluice-...)", 64);

json policySchema() {
    const auto positive = [](const std::string& description) {
        return s::integer(description, 1, std::int64_t{1} << 53);
    };
    return s::params(
        {{"allowed_models", s::listOf(s::text("model", 128), "only these models")},
         {"enforced_model", s::text("every request uses this model", 128)},
         {"max_reasoning_effort", s::oneOf("higher efforts are lowered to this",
                                           {"minimal", "low", "medium", "high", "xhigh"})},
         {"requests_per_minute", s::integer("rolling minute", 1, 1'000'000)},
         {"tokens_per_day", positive("per UTC day")},
         {"tokens_per_week", positive("per rolling 7 UTC days")},
         {"max_tokens_per_request",
          positive("per-request cap; also what a running request reserves")},
         {"max_concurrent_streams", s::integer("requests running at once", 1, 100'000)}});
}

json keyWithLoad(const sdk::ApiKeyRecord& key, admission::AdmissionController& admission) {
    json view = views::key(key);
    const admission::KeyLoad load = admission.load(key.prefix);
    view["load"] = {{"streams", load.streams},
                    {"requests_last_minute", load.requests_last_minute},
                    {"tokens_today", load.tokens_today},
                    {"tokens_this_week", load.tokens_this_week},
                    {"tokens_reserved", load.tokens_reserved}};
    return view;
}

json issuedWithSnippetSchema() {
    json schema = views::issuedKeySchema();
    schema["properties"]["codex"] = views::codexSnippetSchema();
    schema["required"].push_back("codex");
    return schema;
}

json keyWithLoadSchema() {
    json schema = views::keySchema();
    schema["properties"]["load"] = s::shape(
        {{"streams", s::integer("running requests")},
         {"requests_last_minute", s::integer("admitted in the last minute")},
         {"tokens_today", s::integer("tokens charged today (this gateway process)")},
         {"tokens_this_week",
          s::integer("tokens charged in the last 7 days (this gateway process)")},
         {"tokens_reserved", s::integer("tokens held by running requests")}},
        {"streams", "requests_last_minute", "tokens_today", "tokens_this_week", "tokens_reserved"});
    schema["required"].push_back("load");
    return schema;
}

sdk::Result<sdk::ApiKeyRecord> findKey(const AdminOperationsContext& context, const json& params) {
    return context.control.storage.apiKeys().findByPrefix(params["key"].get<std::string>());
}

}  // namespace

void addKeyAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add({"keys.list", kOperators, false,
                    "Pool API keys with status, policy and load (never the key)",
                    s::params({{"pool", s::text("only this pool", 63)}}),
                    s::shape({{"keys", s::listOf(keyWithLoadSchema())}}, {"keys"}),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        auto keys = control::CredentialService(context.control)
                                        .listKeys(optionalString(call.params, "pool"));
                        if (!keys.ok()) {
                            return keys.status();
                        }
                        json list = json::array();
                        for (const auto& key : keys.value()) {
                            list.push_back(keyWithLoad(key, context.admission));
                        }
                        return json{{"keys", std::move(list)}};
                    }});

    operations.add({"keys.get", kOperators, false, "One Pool API key",
                    s::params({{"key", kKeyPrefix}}, {"key"}), keyWithLoadSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        auto key = findKey(context, call.params);
                        if (!key.ok()) {
                            return key.status();
                        }
                        return keyWithLoad(key.value(), context.admission);
                    }});

    operations.add(
        {"keys.create", kAdmins, true,
         "Issue a Pool API key, optionally with a policy, with the Codex CLI provider block for "
         "gateway_url (else the listen address)",
         s::params({{"pool", s::text("pool", 63)},
                    {"name", s::text("what it is for", 120)},
                    {"policy", policySchema()},
                    {"gateway_url", views::gatewayUrlSchema()}},
                   {"pool", "name"}),
         issuedWithSnippetSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             if (auto bad = views::checkGatewayUrl(call.params); !bad.ok()) {
                 return bad;
             }
             control::CredentialService credentials(context.control);
             if (call.params.contains("policy")) {
                 // Checked before the key exists, so a bad policy leaves nothing behind.
                 if (auto policy = admission::parseKeyPolicy(call.params["policy"].dump());
                     !policy.ok()) {
                     return policy.status();
                 }
             }
             auto issued =
                 credentials.createKey(call.params["pool"], call.params["name"], actorOf(call));
             if (!issued.ok()) {
                 return issued.status();
             }
             if (call.params.contains("policy")) {
                 auto updated = credentials.setKeyPolicy(
                     issued->record.prefix, call.params["policy"].dump(), actorOf(call));
                 if (!updated.ok()) {
                     return updated.status();
                 }
                 issued->record = std::move(updated).value();
             }
             json answer = views::issuedKey(issued->raw, issued->record);
             answer["codex"] = views::codexSnippet(context.control, call.params);
             return answer;
         }});

    operations.add({"keys.rotate", kAdmins, true,
                    "A new secret for a key: same prefix, pool, policy and history; the old secret "
                    "stops working",
                    s::params({{"key", kKeyPrefix}}, {"key"}), views::issuedKeySchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        auto issued = control::CredentialService(context.control)
                                          .rotateKey(call.params["key"], actorOf(call));
                        if (!issued.ok()) {
                            return issued.status();
                        }
                        return views::issuedKey(issued->raw, issued->record);
                    }});

    const std::array<std::pair<const char*, sdk::CredentialStatus>, 3> transitions{
        {{"keys.pause", sdk::CredentialStatus::Paused},
         {"keys.resume", sdk::CredentialStatus::Active},
         {"keys.revoke", sdk::CredentialStatus::Revoked}}};
    for (const auto& [name, target] : transitions) {
        const std::string description =
            target == sdk::CredentialStatus::Paused   ? "Stop a key until resumed"
            : target == sdk::CredentialStatus::Active ? "Let a paused key work again"
                                                      : "Revoke a key for good";
        operations.add({name, kAdmins, true, description, s::params({{"key", kKeyPrefix}}, {"key"}),
                        doneSchema(),
                        [context, target = target](const OperationCall& call) -> sdk::Result<json> {
                            const auto status =
                                control::CredentialService(context.control)
                                    .setKeyStatus(call.params["key"], target, actorOf(call));
                            if (!status.ok()) {
                                return status;
                            }
                            return done();
                        }});
    }

    operations.add({"keys.set_policy", kAdmins, true,
                    "Replace a key's policy (models, reasoning effort, rates, token budgets, "
                    "streams); {} removes all limits",
                    s::params({{"key", kKeyPrefix}, {"policy", policySchema()}}, {"key", "policy"}),
                    views::keySchema(), [context](const OperationCall& call) -> sdk::Result<json> {
                        auto key = control::CredentialService(context.control)
                                       .setKeyPolicy(call.params["key"],
                                                     call.params["policy"].dump(), actorOf(call));
                        if (!key.ok()) {
                            return key.status();
                        }
                        return views::key(key.value());
                    }});
}

}  // namespace sluice::core::ops::admin
