#include "core/ops/views.hpp"

#include "core/accounting/utc_time.hpp"
#include "core/control/credential_service.hpp"
#include "core/ops/schema.hpp"
#include "core/security/bounded_json.hpp"

namespace sluice::core::ops::views {

namespace {

using json = nlohmann::json;
namespace s = schema;

const json kString{{"type", "string"}};

}  // namespace

json time(sdk::TimePoint value) {
    if (value.time_since_epoch().count() == 0) {
        return nullptr;
    }
    return accounting::rfc3339(value);
}

json timeSchema(const std::string& description) {
    return {{"type", json::array({"string", "null"})},
            {"description", description + " (RFC 3339 UTC)"}};
}

json quotaWindow(const sdk::QuotaWindow& window) {
    if (!window.known) {
        return nullptr;
    }
    return {{"used_percent", window.used_percent},
            {"window_minutes", window.window_minutes},
            {"resets_at", time(window.resets_at)}};
}

json quotaWindowSchema() {
    return s::nullable(s::shape({{"used_percent", s::number("0..100")},
                                 {"window_minutes", s::integer("300 = 5 h, 10080 = a week")},
                                 {"resets_at", timeSchema("when the window resets")}},
                                {"used_percent", "window_minutes", "resets_at"}));
}

json pool(const runtime::PoolEntry& pool) {
    return {{"name", pool.name},
            {"strategy", pool.strategy},
            {"ring_size", pool.ring_size},
            {"sticky_sessions", pool.sticky_sessions},
            {"handoff", pool.handoff},
            {"source", pool.source == runtime::PoolSource::Pipeline ? "pipeline" : "storage"}};
}

json poolSchema() {
    return s::shape({{"name", s::text("pool name")},
                     {"strategy", s::text("routing strategy")},
                     {"ring_size", s::integer("accounts tried per request")},
                     {"sticky_sessions", s::boolean("keep conversations on one account")},
                     {"handoff", s::boolean("a conversation whose account is gone goes on on "
                                            "another, its history replayed (pipeline pools)")},
                     {"source", s::oneOf("declared in the pipeline file or created at run time",
                                         {"pipeline", "storage"})}},
                    {"name", "strategy", "ring_size", "sticky_sessions", "handoff", "source"});
}

json keyPolicy(const sdk::ApiKeyRecord& key) {
    json policy = security::parseJson(key.policy_json);
    return policy.is_object() ? policy : json::object();
}

json key(const sdk::ApiKeyRecord& key) {
    return {{"prefix", key.prefix},
            {"pool", key.pool},
            {"name", key.name},
            {"status", control::credentialStatusName(key.status)},
            {"policy", keyPolicy(key)},
            {"created_at", time(key.created_at)},
            {"updated_at", time(key.updated_at)},
            {"last_used_at", time(key.last_used_at)}};
}

json keySchema() {
    return s::shape({{"prefix", s::text("public key id")},
                     {"pool", s::text("pool")},
                     {"name", s::text("name")},
                     {"status", s::oneOf("status", {"active", "paused", "revoked"})},
                     {"policy", s::anyObject("per-key limits")},
                     {"created_at", timeSchema("created")},
                     {"updated_at", timeSchema("last changed")},
                     {"last_used_at", timeSchema("last used")}},
                    {"prefix", "pool", "name", "status", "policy"});
}

json issuedKey(const std::string& raw, const sdk::ApiKeyRecord& key) {
    return {{"key", raw}, {"record", views::key(key)}};
}

json issuedKeySchema() {
    return s::shape({{"key", s::text("the Pool API key: store it now, it is not shown again")},
                     {"record", keySchema()}},
                    {"key", "record"});
}

json operatorToken(const sdk::OperatorTokenRecord& token) {
    return {{"prefix", token.prefix},
            {"name", token.name},
            {"kind", token.kind == sdk::OperatorTokenKind::Admin ? "admin" : "mcp"},
            {"status", control::credentialStatusName(token.status)},
            {"created_at", time(token.created_at)},
            {"last_used_at", time(token.last_used_at)}};
}

json operatorTokenSchema() {
    return s::shape({{"prefix", s::text("public token id")},
                     {"name", s::text("name")},
                     {"kind", s::oneOf("kind", {"admin", "mcp"})},
                     {"status", s::oneOf("status", {"active", "paused", "revoked"})},
                     {"created_at", timeSchema("created")},
                     {"last_used_at", timeSchema("last used")}},
                    {"prefix", "name", "kind", "status"});
}

json requestLog(const sdk::RequestLogRecord& record, bool with_routing) {
    json view{{"id", record.id},
              {"started_at", time(record.started_at)},
              {"pool", record.pool},
              {"key_prefix", record.key_prefix},
              {"model", record.model},
              {"method", record.method},
              {"route_path", record.route_path},
              {"route", record.route},
              {"route_class", record.route_class},
              {"account_id", record.account_id},
              {"account_label", record.account_label},
              {"status", record.status},
              {"error_code", record.error_code},
              {"attempts", record.attempts},
              {"input_tokens", record.input_tokens},
              {"cached_input_tokens", record.cached_input_tokens},
              {"output_tokens", record.output_tokens},
              {"reasoning_tokens", record.reasoning_tokens},
              {"latency_ms", static_cast<double>(record.latency_us) / 1000.0},
              {"first_byte_ms", static_cast<double>(record.first_byte_us) / 1000.0}};
    if (with_routing) {
        const json routing = security::parseJson(record.routing_json);
        view["routing"] = routing.is_object() ? routing : json::object();
    }
    return view;
}

json requestLogSchema() {
    return s::shape({{"id", s::text("request id")},
                     {"started_at", timeSchema("received")},
                     {"pool", kString},
                     {"key_prefix", kString},
                     {"model", kString},
                     {"method", s::text("the client's HTTP method")},
                     {"route_path", s::text("the route's path template, e.g. /v1/files/{id}")},
                     {"route", kString},
                     {"route_class", kString},
                     {"account_id", kString},
                     {"account_label", kString},
                     {"status", s::integer("HTTP status sent to the client")},
                     {"error_code", kString},
                     {"attempts", s::integer("upstream attempts")},
                     {"input_tokens", s::integer("input tokens")},
                     {"cached_input_tokens", s::integer("cached input tokens")},
                     {"output_tokens", s::integer("output tokens")},
                     {"reasoning_tokens", s::integer("reasoning tokens")},
                     {"latency_ms", s::number("total time")},
                     {"first_byte_ms", s::number("time to the first byte sent, 0 when none")},
                     {"routing", s::anyObject("exclusions, order and attempts (get only)")}},
                    {"id", "started_at", "pool", "status", "attempts"});
}

json audit(const sdk::AuditRecord& record) {
    const json details = security::parseJson(record.details_json);
    return {{"id", record.id},
            {"occurred_at", time(record.occurred_at)},
            {"actor", record.actor},
            {"action", record.action},
            {"target", record.target},
            {"outcome", record.outcome},
            {"details", details.is_object() ? details : json::object()}};
}

json auditSchema() {
    return s::shape({{"id", s::text("event id")},
                     {"occurred_at", timeSchema("when")},
                     {"actor", s::text("who: cli, admin:<prefix>, ...")},
                     {"action", s::text("what: pool.create, key.revoke, ...")},
                     {"target", kString},
                     {"outcome", s::oneOf("outcome", {"success", "failure"})},
                     {"details", s::anyObject("action details (never a secret)")}},
                    {"id", "occurred_at", "actor", "action", "target", "outcome", "details"});
}

json usageCounts(const sdk::UsageBucket& sum) {
    return {{"requests", sum.requests},
            {"errors", sum.errors},
            {"input_tokens", sum.input_tokens},
            {"cached_input_tokens", sum.cached_input_tokens},
            {"output_tokens", sum.output_tokens},
            {"reasoning_tokens", sum.reasoning_tokens},
            {"total_tokens", sum.input_tokens + sum.output_tokens}};
}

json usageCountsSchema() {
    return s::shape({{"requests", s::integer("requests")},
                     {"errors", s::integer("requests answered with an error")},
                     {"input_tokens", s::integer("input tokens")},
                     {"cached_input_tokens", s::integer("cached input tokens")},
                     {"output_tokens", s::integer("output tokens")},
                     {"reasoning_tokens", s::integer("reasoning tokens")},
                     {"total_tokens", s::integer("input + output tokens")}},
                    {"requests", "errors", "input_tokens", "cached_input_tokens", "output_tokens",
                     "reasoning_tokens", "total_tokens"});
}

}  // namespace sluice::core::ops::views
