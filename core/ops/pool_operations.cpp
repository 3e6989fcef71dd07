#include "core/ops/pool_operations.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/accounting/usage_counts.hpp"
#include "core/accounting/utc_time.hpp"
#include "core/ops/pool_usage.hpp"
#include "core/ops/route_explain.hpp"
#include "core/ops/schema.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops {

namespace {

using json = nlohmann::json;
using sdk::CredentialKind;

constexpr std::chrono::hours kFileLifetime{24};
// Pool keys act on their own pool; operators name the pool they mean.
sdk::Result<std::string> targetPool(const OperationCall& call) {
    if (call.caller.kind == CredentialKind::PoolKey) {
        return call.caller.pool;
    }
    if (auto pool = stringParam(call.params, "pool")) {
        return *pool;
    }
    return invalidParam("pool", "required");
}

/// The caller's target pool in the current routing snapshot, which it keeps alive.
struct RoutedPool {
    routing::RoutingSnapshotPtr snapshot;
    const routing::PoolRoute* route = nullptr;
};

sdk::Result<RoutedPool> routedPool(const OperationCall& call,
                                   const routing::RoutingTable& routing) {
    const auto name = targetPool(call);
    if (!name.ok()) {
        return name.status();
    }
    RoutedPool routed{routing.snapshot(), nullptr};
    routed.route = routed.snapshot->pool(name.value());
    if (routed.route == nullptr) {
        return sdk::Status(sdk::StatusCode::NotFound, "no pool named '" + name.value() + "'");
    }
    return routed;
}

json fileJson(const sdk::FileRecord& file) {
    return {{"id", file.id},
            {"account_id", file.account_id},
            {"filename", file.filename},
            {"purpose", file.purpose},
            {"bytes", file.bytes},
            {"created_at", accounting::unixSeconds(file.created_at)},
            {"expires_at", accounting::unixSeconds(file.expires_at)}};
}

namespace s = schema;

const json kPoolParam =
    s::text("pool name (operators only; a Pool API key always acts on its own pool)", 63);

const json kFileShape =
    s::shape({{"id", s::text("upstream file id")},
              {"account_id", s::text("account that owns the file upstream")},
              {"filename", {{"type", "string"}}},
              {"purpose", {{"type", "string"}}},
              {"bytes", s::integer("size in bytes")},
              {"created_at", s::integer("Unix seconds")},
              {"expires_at", s::integer("Unix seconds")}},
             {"id", "account_id", "filename", "purpose", "bytes", "created_at", "expires_at"});

}  // namespace

void addPoolOperations(Operations& operations, PoolOperationsContext context) {
    const std::set<CredentialKind> pool_and_operators{
        CredentialKind::PoolKey, CredentialKind::AdminToken, CredentialKind::McpToken};

    operations.add({"files.register",
                    {CredentialKind::PoolKey},
                    true,
                    "Record that an upstream file belongs to the account that created it",
                    s::params({{"id", s::text("upstream file id")},
                               {"account_id", s::text("account that created it")},
                               {"filename", {{"type", "string"}, {"maxLength", 1024}}},
                               {"purpose", {{"type", "string"}, {"maxLength", 64}}},
                               {"bytes", s::integer("size in bytes", 0, std::int64_t{1} << 50)}},
                              {"id", "account_id"}),
                    kFileShape,
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        const auto id = stringParam(call.params, "id");
                        const auto account = stringParam(call.params, "account_id");
                        if (!id || !account) {
                            return invalidParam(!id ? "id" : "account_id", "required");
                        }
                        const auto snapshot = context.routing.snapshot();
                        const auto owner = snapshot->accounts.find(*account);
                        if (owner == snapshot->accounts.end() ||
                            owner->second->pool != call.caller.pool) {
                            return invalidParam("account_id", "not an account of this pool");
                        }
                        sdk::FileRecord file;
                        file.id = *id;
                        file.pool = call.caller.pool;
                        file.account_id = *account;
                        file.filename = call.params.value("filename", "");
                        file.purpose = call.params.value("purpose", "");
                        file.bytes = call.params.value("bytes", std::uint64_t{0});
                        file.created_at = context.clock.now();
                        file.expires_at = file.created_at + kFileLifetime;
                        if (auto status = context.storage.files().put(file); !status.ok()) {
                            return status;
                        }
                        context.file_owners.record(file, file.created_at);
                        return fileJson(file);
                    }});

    operations.add(
        {"files.get", pool_and_operators, false, "One file's metadata and owning account",
         s::params({{"pool", kPoolParam}, {"id", s::text("upstream file id")}}, {"id"}), kFileShape,
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto pool = targetPool(call);
             const auto id = stringParam(call.params, "id");
             if (!pool.ok()) {
                 return pool.status();
             }
             if (!id) {
                 return invalidParam("id", "required");
             }
             auto file = context.storage.files().get(pool.value(), *id, context.clock.now());
             if (!file.ok()) {
                 return file.status();
             }
             return fileJson(file.value());
         }});

    operations.add(
        {"files.list", pool_and_operators, false, "Unexpired files of a pool, newest first",
         s::params({{"pool", kPoolParam}, {"limit", s::integer("at most this many", 1, 1000)}}),
         s::shape({{"data", s::listOf(kFileShape)}}, {"data"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto pool = targetPool(call);
             if (!pool.ok()) {
                 return pool.status();
             }
             const auto limit = call.params.value("limit", 100);
             if (limit < 1 || limit > 1000) {
                 return invalidParam("limit", "between 1 and 1000");
             }
             auto files = context.storage.files().list(pool.value(), context.clock.now(),
                                                       static_cast<std::uint32_t>(limit));
             if (!files.ok()) {
                 return files.status();
             }
             json data = json::array();
             for (const auto& file : files.value()) {
                 data.push_back(fileJson(file));
             }
             return json{{"data", std::move(data)}};
         }});

    operations.add({"key.usage",
                    {CredentialKind::PoolKey},
                    false,
                    "The calling key's requests and tokens per UTC day",
                    s::params({{"days", s::integer("days back, today included", 1, 366)}}),
                    s::shape({{"key_prefix", s::text("the key")},
                              {"pool", s::text("its pool")},
                              {"from", s::text("first day, YYYY-MM-DD")},
                              {"to", s::text("last day, YYYY-MM-DD")},
                              {"totals", views::usageCountsSchema()},
                              {"days", s::listOf(views::usageCountsSchema())}},
                             {"key_prefix", "pool", "from", "to", "totals", "days"}),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        const auto days = call.params.value("days", 28);
                        if (days < 1 || days > 366) {
                            return invalidParam("days", "between 1 and 366");
                        }
                        sdk::UsageQuery query;
                        query.key_prefix = call.caller.id;
                        query.to_day = accounting::utcDay(context.clock.now());
                        query.from_day = query.to_day - days + 1;
                        auto buckets = context.storage.usage().query(query);
                        if (!buckets.ok()) {
                            return buckets.status();
                        }
                        std::map<std::int64_t, sdk::UsageBucket> per_day;
                        sdk::UsageBucket total;
                        for (const auto& bucket : buckets.value()) {
                            accounting::addUsageCounts(per_day[bucket.day], bucket);
                            accounting::addUsageCounts(total, bucket);
                        }
                        json daily = json::array();
                        for (const auto& [day, sum] : per_day) {
                            json entry = views::usageCounts(sum);
                            entry["date"] = accounting::utcDayText(day);
                            daily.push_back(std::move(entry));
                        }
                        return json{{"key_prefix", call.caller.id},
                                    {"pool", call.caller.pool},
                                    {"from", accounting::utcDayText(query.from_day)},
                                    {"to", accounting::utcDayText(query.to_day)},
                                    {"totals", views::usageCounts(total)},
                                    {"days", std::move(daily)}};
                    }});

    operations.add(
        {"pool.accounts", pool_and_operators, false,
         "The pool's accounts, whether each can serve now and why not",
         s::params({{"pool", kPoolParam}}),
         s::shape({{"pool", s::text("pool")},
                   {"accounts", s::listOf(s::shape({{"id", s::text("account id")},
                                                    {"label", s::text("label")},
                                                    {"plan_type", {{"type", "string"}}},
                                                    {"eligible", s::boolean("can serve now")},
                                                    {"condition", s::text("ready, paused, ...")},
                                                    {"reason", {{"type", "string"}}}},
                                                   {"id", "label", "eligible", "condition"}))}},
                  {"pool", "accounts"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto routed = routedPool(call, context.routing);
             if (!routed.ok()) {
                 return routed.status();
             }
             const routing::PoolRoute* pool = routed->route;
             json accounts = json::array();
             const routing::RouteQuery any_model;
             for (const auto& account : pool->accounts) {
                 const auto eligibility =
                     context.planner.assess(*account, any_model, context.clock.now());
                 accounts.push_back(
                     {{"id", account->id},
                      {"label", account->label},
                      {"plan_type", account->plan_type},
                      {"eligible", eligibility.ready()},
                      {"condition", routing::accountConditionName(eligibility.condition)},
                      {"reason", eligibility.reason}});
             }
             return json{{"pool", pool->pool.name}, {"accounts", std::move(accounts)}};
         }});

    operations.add(
        {"route.explain",
         {CredentialKind::AdminToken, CredentialKind::McpToken},
         false,
         "Dry-run routing for a pool: excluded accounts with reasons and the order tried",
         s::params({{"pool", kPoolParam},
                    {"model", s::text("model the request would name", 128)},
                    {"session", s::text("session id, for stickiness", 256)}},
                   {"pool"}),
         routeExplanationSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto routed = routedPool(call, context.routing);
             if (!routed.ok()) {
                 return routed.status();
             }
             const routing::PoolRoute* pool = routed->route;
             routing::RouteQuery query;
             query.model = call.params.value("model", "");
             query.route_class = sdk::RouteClass::ProxyStream;
             query.session_key = call.params.value("session", "");
             return explainRoute(*pool, context.planner, query, context.clock.now());
         }});

    operations.add({"pool.usage", pool_and_operators, false,
                    "Codex-style rate-limit status of a pool: its quota as its clients see it "
                    "(server.quota_view), a Pool API key's own share of it",
                    s::params({{"pool", kPoolParam}}), poolUsageSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        const auto routed = routedPool(call, context.routing);
                        if (!routed.ok()) {
                            return routed.status();
                        }
                        const sdk::TimePoint now = context.clock.now();
                        if (const auto view = context.quota.viewOf(*routed->route, call.caller)) {
                            return usageOfView(*view, now);
                        }
                        return usageOfMostAvailable(*routed->route, context.planner, now);
                    }});
}

}  // namespace sluice::core::ops
