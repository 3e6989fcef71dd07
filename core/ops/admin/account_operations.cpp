#include "core/control/account_service.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"
#include "core/routing/pool_capacity.hpp"

namespace sluice::core::ops::admin {

namespace {

const json kAccountId = s::text("account id (acct_...)", 64);

// The last evidence of a window: how old it is and where it came from (stale evidence too:
// the window then reads null, the evidence says since when).
json evidenceView(const std::optional<routing::AccountState::Evidence>& evidence,
                  const sdk::QuotaWindow& window, sdk::TimePoint now) {
    if (!evidence) {
        return nullptr;
    }
    return {{"source", routing::quotaSourceName(evidence->source)},
            {"observed_at", views::time(evidence->observed_at)},
            {"age_seconds",
             std::chrono::duration_cast<std::chrono::seconds>(now - evidence->observed_at).count()},
            {"fresh", window.known}};
}

json evidenceSchema(const std::string& window) {
    return s::nullable(
        s::shape({{"source", s::oneOf("where the " + window + " window's last evidence came from",
                                      {"headers", "event", "probe", "unknown"})},
                  {"observed_at", views::timeSchema("when it was observed")},
                  {"age_seconds", s::integer("seconds since it was observed")},
                  {"fresh", s::boolean("recent enough to route by (accounts.quota_freshness); the "
                                       "window reads null when not")}},
                 {"source", "observed_at", "age_seconds", "fresh"}));
}

// A time still ahead, or null.
json ahead(sdk::TimePoint time, sdk::TimePoint now) {
    return time > now ? views::time(time) : json(nullptr);
}

json labelsJson(const sdk::Labels& labels) {
    json object = json::object();
    for (const auto& [name, value] : labels) {
        object[name] = value;
    }
    return object;
}

}  // namespace

json accountView(const sdk::AccountRecord& record, const AdminOperationsContext& context) {
    const auto now = context.clock.now();
    json view{{"id", record.id},
              {"label", record.label},
              {"pool", record.pool},
              {"plan_type", record.plan_type},
              {"status", control::accountStatusName(record.status)},
              {"status_reason", record.status_reason},
              {"labels", labelsJson(record.labels)},
              {"access_expires_at", views::time(record.access_expires_at)},
              {"last_refresh_at", views::time(record.last_refresh_at)},
              {"created_at", views::time(record.created_at)}};
    const auto snapshot = context.routing.snapshot();
    const auto routed = snapshot->accounts.find(record.id);
    if (routed == snapshot->accounts.end()) {
        view["condition"] = "unknown";
        view["reason"] = "not loaded yet";
        return view;
    }
    const routing::RoutedAccount& account = *routed->second;
    const auto eligibility = context.planner.assess(account, routing::RouteQuery{}, now);
    json circuits = json::array();
    for (const auto& circuit : account.state->circuits()) {
        circuits.push_back({{"model", circuit.model},
                            {"route_class", sdk::routeClassName(circuit.route_class)},
                            {"state", routing::circuitStateName(circuit.state)}});
    }
    view["condition"] = routing::accountConditionName(eligibility.condition);
    view["reason"] = eligibility.reason;
    view["in_flight"] = account.state->in_flight.load(std::memory_order_relaxed);
    view["latency_ms"] = account.state->ewmaLatencyMs();
    view["last_success_at"] = views::time(account.state->lastSuccess());
    view["state"] = routing::operatorStateName(routing::operatorStateOf(eligibility.condition));
    const sdk::QuotaWindow primary = account.state->primary(now);
    const sdk::QuotaWindow secondary = account.state->secondary(now);
    view["primary"] = views::quotaWindow(primary);
    view["secondary"] = views::quotaWindow(secondary);
    view["primary_evidence"] = evidenceView(account.state->primaryEvidence(), primary, now);
    view["secondary_evidence"] = evidenceView(account.state->secondaryEvidence(), secondary, now);
    view["usage_limited_until"] = ahead(account.state->blockedUntil(), now);
    view["demoted_until"] = ahead(account.state->demotedUntil(), now);
    const auto reported = account.state->reported();
    view["upstream_plan_type"] =
        reported->plan_type.empty() ? json(nullptr) : json(reported->plan_type);
    view["credits"] = reported->credits ? json{{"has_credits", reported->credits->has_credits},
                                               {"unlimited", reported->credits->unlimited},
                                               {"balance", reported->credits->balance}}
                                        : json(nullptr);
    view["circuits"] = std::move(circuits);
    return view;
}

json accountSchema() {
    const json string{{"type", "string"}};
    return s::shape(
        {{"id", s::text("account id")},
         {"label", s::text("operator-facing name")},
         {"pool", s::text("pool")},
         {"plan_type", string},
         {"status", s::text("stored lifecycle status: active, paused, reauth_required, ...")},
         {"status_reason", string},
         {"labels", s::anyObject("operator labels")},
         {"access_expires_at", views::timeSchema("access token expiry")},
         {"last_refresh_at", views::timeSchema("last token refresh")},
         {"created_at", views::timeSchema("imported")},
         {"condition",
          s::text("can it serve now: ready, paused, quota_exhausted, circuit_open, ...")},
         {"reason", string},
         {"state", s::oneOf("the condition as the console tallies it",
                            {"ready", "cooling_down", "paused", "needs_sign_in"})},
         {"in_flight", s::integer("requests running on it")},
         {"latency_ms", s::number("smoothed upstream latency")},
         {"last_success_at", views::timeSchema("last successful request")},
         {"primary", views::quotaWindowSchema()},
         {"secondary", views::quotaWindowSchema()},
         {"primary_evidence", evidenceSchema("5-hour")},
         {"secondary_evidence", evidenceSchema("weekly")},
         {"usage_limited_until",
          views::timeSchema("the upstream said its usage limit is reached: not routed to until "
                            "then; null: not limited")},
         {"demoted_until", views::timeSchema("failed lately: tried after the others until then; "
                                             "null: not demoted")},
         {"upstream_plan_type", s::nullable(s::text("the plan the upstream last reported"))},
         {"credits", s::nullable(s::shape({{"has_credits", s::boolean("credits available")},
                                           {"unlimited", s::boolean("unlimited credits")},
                                           {"balance", s::text("balance as reported")}},
                                          {"has_credits", "unlimited", "balance"}))},
         {"circuits",
          s::listOf(s::shape({{"model", string},
                              {"route_class", string},
                              {"state", s::oneOf("state", {"closed", "open", "half_open"})}},
                             {"model", "route_class", "state"}))}},
        {"id", "label", "pool", "status", "labels", "condition", "reason"});
}

namespace {

sdk::Result<sdk::AccountRecord> findAccount(const AdminOperationsContext& context,
                                            const json& params) {
    return context.control.storage.accounts().get(params["account"].get<std::string>());
}

}  // namespace

void addAccountAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add(
        {"accounts.list", kOperators, false,
         "Upstream accounts with status, quota windows, health and circuits (never a credential)",
         s::params({{"pool", s::text("only this pool", 63)}}),
         s::shape({{"as_of", views::timeSchema("the gateway's clock when this was read: "
                                               "countdowns and ages count from it")},
                   {"accounts", s::listOf(accountSchema())}},
                  {"as_of", "accounts"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto as_of = context.clock.now();
             auto accounts =
                 control::AccountService(context.control).list(optionalString(call.params, "pool"));
             if (!accounts.ok()) {
                 return accounts.status();
             }
             json list = json::array();
             for (const auto& account : accounts.value()) {
                 list.push_back(accountView(account, context));
             }
             return json{{"as_of", views::time(as_of)}, {"accounts", std::move(list)}};
         }});

    operations.add({"accounts.get", kOperators, false, "One upstream account",
                    s::params({{"account", kAccountId}}, {"account"}), accountSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        auto account = findAccount(context, call.params);
                        if (!account.ok()) {
                            return account.status();
                        }
                        return accountView(account.value(), context);
                    }});

    const json stored_window = s::shape(
        {{"window", s::text("primary, secondary, or <limit>.primary")},
         {"used_percent", s::number("0..100")},
         {"window_minutes", s::integer("window length")},
         {"resets_at", views::timeSchema("reset")},
         {"observed_at", views::timeSchema("when it was seen")},
         {"source", s::text("headers, event, usage_limit or probe")}},
        {"window", "used_percent", "window_minutes", "resets_at", "observed_at", "source"});
    operations.add(
        {"accounts.quotas", kOperators, false,
         "An account's quota windows: the live view used for routing and the last evidence stored",
         s::params({{"account", kAccountId}}, {"account"}),
         s::shape({{"account", s::text("account id")},
                   {"primary", views::quotaWindowSchema()},
                   {"secondary", views::quotaWindowSchema()},
                   {"stored", s::listOf(stored_window)}},
                  {"account", "primary", "secondary", "stored"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             auto account = findAccount(context, call.params);
             if (!account.ok()) {
                 return account.status();
             }
             auto stored = context.control.storage.quotas().list(std::string_view(account->id));
             if (!stored.ok()) {
                 return stored.status();
             }
             json windows = json::array();
             for (const auto& window : stored.value()) {
                 windows.push_back({{"window", window.window},
                                    {"used_percent", window.used_percent},
                                    {"window_minutes", window.window_minutes},
                                    {"resets_at", views::time(window.resets_at)},
                                    {"observed_at", views::time(window.observed_at)},
                                    {"source", window.source}});
             }
             const json view = accountView(account.value(), context);
             return json{{"account", account->id},
                         {"primary", view.value("primary", json())},
                         {"secondary", view.value("secondary", json())},
                         {"stored", std::move(windows)}};
         }});

    operations.add(
        {"accounts.probe", kAdmins, true,
         "Ask the upstream for an account's quota now (its usage endpoint, as the periodic probe "
         "does) and answer the account with what it said",
         s::params({{"account", kAccountId}}, {"account"}), accountSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const std::string id = call.params["account"];
             const auto snapshot = context.routing.snapshot();
             const auto routed = snapshot->accounts.find(id);
             sdk::Status status = routed == snapshot->accounts.end()
                                      ? sdk::Status(sdk::StatusCode::NotFound, "no account " + id)
                                      : context.prober.probe(*routed->second);
             control::recordAudit(context.control, actorOf(call), "account.probe", id, status);
             if (!status.ok()) {
                 return status;
             }
             auto account = context.control.storage.accounts().get(id);
             if (!account.ok()) {
                 return account.status();
             }
             return accountView(account.value(), context);
         }});

    operations.add(
        {"accounts.import", kAdmins, true,
         "Import a ChatGPT login (the contents of a Codex auth.json) into a pool; stored encrypted",
         s::params({{"pool", s::text("pool", 63)},
                    {"auth_json",
                     {{"type", json::array({"object", "string"})},
                      {"description", "the auth.json document, as an object or its text"}}},
                    {"label", s::text("operator-facing name", 120)},
                    {"labels", labelsParam()}},
                   {"pool", "auth_json"}),
         accountSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             const json& document = call.params["auth_json"];
             const std::string text =
                 document.is_string() ? document.get<std::string>() : document.dump();
             auto account = control::AccountService(context.control)
                                .importAuthJson(call.params["pool"], text,
                                                optionalString(call.params, "label"),
                                                labelsOf(call.params), actorOf(call));
             if (!account.ok()) {
                 return account.status();
             }
             return accountView(account.value(), context);
         }});

    for (const auto& [name, paused] :
         {std::pair{"accounts.pause", true}, std::pair{"accounts.resume", false}}) {
        operations.add(
            {name, kAdmins, true,
             paused ? "Take an account out of rotation" : "Put a paused account back into rotation",
             s::params({{"account", kAccountId}}, {"account"}), doneSchema(),
             [context, paused = paused](const OperationCall& call) -> sdk::Result<json> {
                 const auto status = control::AccountService(context.control)
                                         .setPaused(call.params["account"], paused, actorOf(call));
                 if (!status.ok()) {
                     return status;
                 }
                 return done();
             }});
    }

    operations.add({"accounts.delete", kAdmins, true,
                    "Delete an account and its stored credentials",
                    s::params({{"account", kAccountId}}, {"account"}), doneSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        const auto status = control::AccountService(context.control)
                                                .remove(call.params["account"], actorOf(call));
                        if (!status.ok()) {
                            return status;
                        }
                        return done();
                    }});
}

}  // namespace sluice::core::ops::admin
