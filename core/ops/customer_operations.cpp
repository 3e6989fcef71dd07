#include "core/ops/customer_operations.hpp"

#include <memory>

#include "core/accounting/utc_time.hpp"
#include "core/billing/money.hpp"
#include "core/control/customer_service.hpp"
#include "core/ops/schema.hpp"
#include "core/ops/snippet_views.hpp"
#include "core/ops/views.hpp"
#include "core/ops/wallet_views.hpp"

namespace sluice::core::ops {

namespace {

using json = nlohmann::json;
namespace s = schema;
using Service = std::shared_ptr<control::CustomerService>;

const std::set<sdk::CredentialKind> kKeys{sdk::CredentialKind::PoolKey};

json customerView(const control::CustomerAccount& account) {
    return {{"id", account.owner.customer.id},
            {"username", account.owner.customer.username},
            {"created_at", views::time(account.owner.customer.created_at)}};
}

json customerSchema() {
    return s::shape({{"id", s::text("cus_...")},
                     {"username", s::text("the customer's name")},
                     {"created_at", views::timeSchema("when it was made")}},
                    {"id", "username", "created_at"});
}

json walletView(const control::CustomerAccount& account) {
    const std::int64_t balance = account.owner.wallet.balance_micro_usd;
    return {{"id", account.owner.wallet.id},
            {"balance_usd", billing::formatUsd(balance)},
            {"state", balance > 0 ? "funded" : "empty"},
            {"can_spend", balance > 0}};
}

json walletSchema() {
    return s::shape(
        {{"id", s::text("wal_...")},
         {"balance_usd", s::text("exact decimal USD, as the gateway's preflight sees it")},
         {"state",
          s::oneOf("empty: requests are refused with 402 insufficient_quota", {"funded", "empty"})},
         {"can_spend", s::boolean("the balance is above 0")}},
        {"id", "balance_usd", "state", "can_spend"});
}

json keysView(const control::CustomerAccount& account, const std::vector<sdk::ApiKeyRecord>& keys) {
    json items = json::array();
    for (const auto& key : keys) {
        json item = views::key(key);
        item["current"] = key.prefix == account.caller_key;
        items.push_back(std::move(item));
    }
    return items;
}

json keysSchema() {
    json key = views::keySchema();
    key["properties"]["current"] = s::boolean("the key that made this request");
    key["required"].push_back("current");
    return s::listOf(key, "every key charged to the wallet, revoked ones included");
}

json dayView(const control::DailySpend& day) {
    return {{"date", accounting::utcDayText(day.day)},
            {"charges", day.charges},
            {"input_tokens", day.input_tokens},
            {"cached_input_tokens", day.cached_input_tokens},
            {"output_tokens", day.output_tokens},
            {"charged_usd", billing::formatUsd(day.charged_micro_usd)},
            {"balance_after_usd", billing::formatUsd(day.balance_after)}};
}

json daySchema() {
    return s::shape({{"date", s::text("UTC day, YYYY-MM-DD")},
                     {"charges", s::integer("charged requests")},
                     {"input_tokens", s::integer("charged new input tokens")},
                     {"cached_input_tokens", s::integer("charged cached input tokens")},
                     {"output_tokens", s::integer("charged output tokens")},
                     {"charged_usd", s::text("taken from the wallet by charges")},
                     {"balance_after_usd", s::text("the balance the day ended with")}},
                    {"date", "charges", "input_tokens", "cached_input_tokens", "output_tokens",
                     "charged_usd", "balance_after_usd"});
}

void addReads(Operations& operations, const CustomerOperationsContext& context,
              const Service& service) {
    operations.add({"customer.profile", kKeys, false,
                    "The caller's customer, wallet and keys, with a Codex CLI provider block",
                    s::params({{"gateway_url", views::gatewayUrlSchema()}}),
                    s::shape({{"customer", customerSchema()},
                              {"wallet", walletSchema()},
                              {"keys", keysSchema()},
                              {"codex", views::codexSnippetSchema()}},
                             {"customer", "wallet", "keys", "codex"}),
                    [context, service](const OperationCall& call) -> sdk::Result<json> {
                        if (auto bad = views::checkGatewayUrl(call.params); !bad.ok()) {
                            return bad;
                        }
                        auto account = service->account(call.caller);
                        auto keys =
                            account.ok() ? service->keys(account.value()) : account.status();
                        if (!keys.ok()) {
                            return keys.status();
                        }
                        return json{{"customer", customerView(account.value())},
                                    {"wallet", walletView(account.value())},
                                    {"keys", keysView(account.value(), keys.value())},
                                    {"codex", views::codexSnippet(context.control, call.params)}};
                    }});

    operations.add({"customer.wallet", kKeys, false, "The caller's wallet and whether it can spend",
                    s::params({}), s::shape({{"wallet", walletSchema()}}, {"wallet"}),
                    [service](const OperationCall& call) -> sdk::Result<json> {
                        auto account = service->account(call.caller);
                        if (!account.ok()) {
                            return account.status();
                        }
                        return json{{"wallet", walletView(account.value())}};
                    }});

    operations.add(
        {"customer.token_usage", kKeys, false,
         "The caller's wallet transactions (tokens, charge, balance after) and daily totals",
         s::params({{"limit", s::integer("transactions, newest first (default 50)", 1, 500)},
                    {"days", s::integer("UTC days of totals, today included (default 7)", 1, 31)}}),
         s::shape({{"wallet", walletSchema()},
                   {"transactions", s::listOf(views::walletTransactionSchema())},
                   {"daily", s::listOf(daySchema(), "newest first; days with transactions")},
                   {"daily_complete",
                    s::boolean("false when the oldest day has more transactions than were read")}},
                  {"wallet", "transactions", "daily", "daily_complete"}),
         [service](const OperationCall& call) -> sdk::Result<json> {
             auto statement = service->usage(call.caller, call.params.value("limit", 50u),
                                             call.params.value("days", 7u));
             if (!statement.ok()) {
                 return statement.status();
             }
             json entries = json::array();
             for (const auto& entry : statement->transactions) {
                 entries.push_back(views::walletTransaction(entry));
             }
             json days = json::array();
             for (const auto& day : statement->days) {
                 days.push_back(dayView(day));
             }
             return json{{"wallet", walletView(statement->account)},
                         {"transactions", std::move(entries)},
                         {"daily", std::move(days)},
                         {"daily_complete", statement->days_complete}};
         }});

    operations.add({"customer.keys.list", kKeys, false, "The keys charged to the caller's wallet",
                    s::params({}), s::shape({{"keys", keysSchema()}}, {"keys"}),
                    [service](const OperationCall& call) -> sdk::Result<json> {
                        auto account = service->account(call.caller);
                        auto keys =
                            account.ok() ? service->keys(account.value()) : account.status();
                        if (!keys.ok()) {
                            return keys.status();
                        }
                        return json{{"keys", keysView(account.value(), keys.value())}};
                    }});
}

void addChanges(Operations& operations, const Service& service) {
    operations.add(
        {"customer.keys.create", kKeys, true,
         "A new key in the caller's pool with the caller's policy, charged to its wallet",
         s::params({{"name", s::text("what it is for", 120)}}, {"name"}), views::issuedKeySchema(),
         [service](const OperationCall& call) -> sdk::Result<json> {
             auto issued = service->issueKey(call.caller, call.params["name"]);
             if (!issued.ok()) {
                 return issued.status();
             }
             return views::issuedKey(issued->raw, issued->record);
         }});

    operations.add({"customer.keys.revoke", kKeys, true,
                    "Revoke one of the caller's customer's keys for good",
                    s::params({{"key", s::text("key prefix (sk-sluice-...)", 64)}}, {"key"}),
                    s::shape({{"ok", s::boolean("the key is revoked")}}, {"ok"}),
                    [service](const OperationCall& call) -> sdk::Result<json> {
                        const auto status = service->revokeKey(call.caller, call.params["key"]);
                        if (!status.ok()) {
                            return status;
                        }
                        return json{{"ok", true}};
                    }});

    operations.add({"customer.key.rotate", kKeys, true,
                    "A new secret for the calling key, at most once per 24 h per customer",
                    s::params({}), views::issuedKeySchema(),
                    [service](const OperationCall& call) -> sdk::Result<json> {
                        auto issued = service->rotateKey(call.caller);
                        if (!issued.ok()) {
                            return issued.status();
                        }
                        return views::issuedKey(issued->raw, issued->record);
                    }});
}

void addPreflight(Operations& operations, const CustomerOperationsContext& context) {
    const json error = s::shape({{"status", s::integer("HTTP status (402)")},
                                 {"type", s::text("error type")},
                                 {"code", s::text("insufficient_quota")},
                                 {"message", s::text("why")}},
                                {"status", "type", "code", "message"});
    operations.add(
        {"wallet.preflight", kKeys, false,
         "Whether the calling key's model requests are refused now for an empty wallet (memory "
         "only; a key linked to no wallet never is)",
         s::params({}),
         s::shape({{"refused", s::boolean("a model request would get the error below")},
                   {"error", s::nullable(error)}},
                  {"refused", "error"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto refusal = context.admission.spendRefusal(call.caller);
             if (!refusal) {
                 return json{{"refused", false}, {"error", nullptr}};
             }
             return json{{"refused", true},
                         {"error",
                          {{"status", refusal->http_status},
                           {"type", refusal->type},
                           {"code", refusal->code},
                           {"message", refusal->message}}}};
         }});
}

}  // namespace

void addCustomerOperations(Operations& operations, CustomerOperationsContext context) {
    const auto service =
        std::make_shared<control::CustomerService>(context.control, context.book, context.shared);
    addReads(operations, context, service);
    addChanges(operations, service);
    addPreflight(operations, context);
}

}  // namespace sluice::core::ops
