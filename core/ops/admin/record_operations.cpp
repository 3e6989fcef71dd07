#include <map>
#include <tuple>

#include "core/accounting/usage_counts.hpp"
#include "core/accounting/utc_time.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

namespace {

constexpr std::int64_t kMaxRollupDays = 366;

json pageSchema(const char* items, const json& item) {
    return s::shape({{items, s::listOf(item)},
                     {"next_cursor", s::nullable(s::text("cursor of the next page"))}},
                    {items, "next_cursor"});
}

json cursorJson(const std::optional<std::string>& cursor) {
    return cursor ? json(*cursor) : json(nullptr);
}

// Fills the paging fields every list query shares (the parameters of pageParams()).
template <class Query>
sdk::Status readPage(const json& params, Query& query) {
    auto since = timeParam(params, "since");
    if (!since.ok()) {
        return since.status();
    }
    auto until = timeParam(params, "until");
    if (!until.ok()) {
        return until.status();
    }
    query.since = since.value();
    query.until = until.value();
    query.before_id = optionalString(params, "cursor");
    query.limit = params.value("limit", 50u);
    return sdk::Status::success();
}

// The usage dimensions a rollup can be grouped by.
constexpr std::array<const char*, 5> kDimensions{"day", "pool", "key", "account", "model"};

}  // namespace

void addRecordOperations(Operations& operations, const AdminOperationsContext& context) {
    s::Members log_params{{"pool", s::text("pool", 63)},
                          {"key", s::text("key prefix", 64)},
                          {"model", s::text("model", 128)},
                          {"status", s::integer("HTTP status", 100, 599)}};
    const auto page = pageParams();
    log_params.insert(log_params.end(), page.begin(), page.end());
    operations.add(
        {"request_logs.list", kOperators, false,
         "Request metadata, newest first, filtered by pool, key, model, status and time; paged",
         s::params(log_params), pageSchema("requests", views::requestLogSchema()),
         [context](const OperationCall& call) -> sdk::Result<json> {
             sdk::RequestLogQuery query;
             query.pool = optionalString(call.params, "pool");
             query.key_prefix = optionalString(call.params, "key");
             query.model = optionalString(call.params, "model");
             if (call.params.contains("status")) {
                 query.status = call.params["status"].get<int>();
             }
             if (auto paged = readPage(call.params, query); !paged.ok()) {
                 return paged;
             }
             auto found = context.control.storage.requestLogs().query(query);
             if (!found.ok()) {
                 return found.status();
             }
             json items = json::array();
             for (const auto& record : found->items) {
                 items.push_back(views::requestLog(record, false));
             }
             return json{{"requests", std::move(items)},
                         {"next_cursor", cursorJson(found->next_cursor)}};
         }});

    operations.add(
        {"request_logs.get", kOperators, false,
         "One request with its attempts and routing explanation (metadata only, never a body)",
         s::params({{"id", s::text("request id (req_...)", 64)}}, {"id"}),
         views::requestLogSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             auto record =
                 context.control.storage.requestLogs().get(call.params["id"].get<std::string>());
             if (!record.ok()) {
                 return record.status();
             }
             return views::requestLog(record.value(), true);
         }});

    s::Members audit_params{{"actor", s::text("cli, admin:<prefix>, ...", 128)},
                            {"action", s::text("pool.create, key.revoke, ...", 64)},
                            {"target", s::text("what was acted on", 128)}};
    audit_params.insert(audit_params.end(), page.begin(), page.end());
    operations.add({"audit.list", kOperators, false, "Operator mutations, newest first; paged",
                    s::params(audit_params), pageSchema("events", views::auditSchema()),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        sdk::AuditQuery query;
                        query.actor = optionalString(call.params, "actor");
                        query.action = optionalString(call.params, "action");
                        query.target = optionalString(call.params, "target");
                        if (auto paged = readPage(call.params, query); !paged.ok()) {
                            return paged;
                        }
                        auto found = context.control.storage.audit().query(query);
                        if (!found.ok()) {
                            return found.status();
                        }
                        json items = json::array();
                        for (const auto& record : found->items) {
                            items.push_back(views::audit(record));
                        }
                        return json{{"events", std::move(items)},
                                    {"next_cursor", cursorJson(found->next_cursor)}};
                    }});

    operations.add(
        {"audit.get", kOperators, false, "One audit event",
         s::params({{"id", s::text("event id (aud_...)", 64)}}, {"id"}), views::auditSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             auto record =
                 context.control.storage.audit().get(call.params["id"].get<std::string>());
             if (!record.ok()) {
                 return record.status();
             }
             return views::audit(record.value());
         }});

    const json counts_members = views::usageCountsSchema();
    json row_schema = counts_members;
    for (const char* dimension : kDimensions) {
        row_schema["properties"][dimension] = {{"type", "string"}, {"description", dimension}};
    }
    operations.add(
        {"usage.rollup", kOperators, false,
         "Requests and tokens summed per UTC day, grouped by any of day, pool, key, account and "
         "model",
         s::params({{"group_by",
                     s::listOf(s::oneOf("dimension", {"day", "pool", "key", "account", "model"}),
                               "dimensions to keep (default: day)")},
                    {"from", s::text("first day, YYYY-MM-DD (default: 27 days before to)", 10)},
                    {"to", s::text("last day, YYYY-MM-DD (default: today)", 10)},
                    {"pool", s::text("only this pool", 63)},
                    {"key", s::text("only this key prefix", 64)},
                    {"account", s::text("only this account", 64)},
                    {"model", s::text("only this model", 128)}}),
         s::shape({{"from", s::text("first day")},
                   {"to", s::text("last day")},
                   {"group_by", s::listOf(s::text("dimension"))},
                   {"rows", s::listOf(row_schema)},
                   {"totals", counts_members}},
                  {"from", "to", "group_by", "rows", "totals"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             sdk::UsageQuery query;
             query.to_day = accounting::utcDay(context.clock.now());
             if (const auto to = optionalString(call.params, "to")) {
                 const auto day = accounting::parseUtcDay(*to);
                 if (!day) {
                     return invalidParam("to", "a date such as 2026-11-21");
                 }
                 query.to_day = *day;
             }
             query.from_day = query.to_day - 27;
             if (const auto from = optionalString(call.params, "from")) {
                 const auto day = accounting::parseUtcDay(*from);
                 if (!day) {
                     return invalidParam("from", "a date such as 2026-11-01");
                 }
                 query.from_day = *day;
             }
             if (query.from_day > query.to_day || query.to_day - query.from_day >= kMaxRollupDays) {
                 return invalidParam("from", "between 1 and 366 days before 'to'");
             }
             query.pool = optionalString(call.params, "pool");
             query.key_prefix = optionalString(call.params, "key");
             query.account_id = optionalString(call.params, "account");
             query.model = optionalString(call.params, "model");
             const json group_by = call.params.value("group_by", json::array({"day"}));
             const auto keeps = [&](const char* dimension) {
                 return std::find(group_by.begin(), group_by.end(), dimension) != group_by.end();
             };
             auto buckets = context.control.storage.usage().query(query);
             if (!buckets.ok()) {
                 return buckets.status();
             }
             using Group =
                 std::tuple<std::string, std::string, std::string, std::string, std::string>;
             std::map<Group, sdk::UsageBucket> groups;
             sdk::UsageBucket total;
             for (const auto& bucket : buckets.value()) {
                 const Group group{
                     keeps("day") ? accounting::utcDayText(bucket.day) : "",
                     keeps("pool") ? bucket.pool : "", keeps("key") ? bucket.key_prefix : "",
                     keeps("account") ? bucket.account_id : "", keeps("model") ? bucket.model : ""};
                 accounting::addUsageCounts(groups[group], bucket);
                 accounting::addUsageCounts(total, bucket);
             }
             json rows = json::array();
             for (const auto& [group, sum] : groups) {
                 json row = views::usageCounts(sum);
                 const std::array<const std::string*, 5> values{
                     &std::get<0>(group), &std::get<1>(group), &std::get<2>(group),
                     &std::get<3>(group), &std::get<4>(group)};
                 for (std::size_t i = 0; i < kDimensions.size(); ++i) {
                     if (keeps(kDimensions[i])) {
                         row[kDimensions[i]] = *values[i];
                     }
                 }
                 rows.push_back(std::move(row));
             }
             return json{{"from", accounting::utcDayText(query.from_day)},
                         {"to", accounting::utcDayText(query.to_day)},
                         {"group_by", group_by},
                         {"rows", std::move(rows)},
                         {"totals", views::usageCounts(total)}};
         }});
}

}  // namespace sluice::core::ops::admin
