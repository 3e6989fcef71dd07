#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"
#include "core/routing/pool_capacity.hpp"

namespace sluice::core::ops::admin {

namespace {

json windowCapacity(const routing::WindowCapacity& window) {
    return {{"accounts", window.accounts},
            {"known", window.known},
            {"remaining_percent", window.remaining_percent},
            {"next_reset_at", views::time(window.next_reset.value_or(sdk::TimePoint{}))}};
}

json windowCapacitySchema(const std::string& window) {
    return s::shape(
        {{"accounts", s::integer("accounts that are capacity: ready or cooling down")},
         {"known", s::integer("of those, with fresh evidence of the " + window +
                              " window (a usage-limited account counts, with nothing left)")},
         {"remaining_percent",
          s::number("sum over the known accounts of 100 - used percent: 150 is one and a half "
                    "accounts' " +
                    window + " windows left")},
         {"next_reset_at",
          views::timeSchema("the earliest reset ahead among the known accounts; null: none")}},
        {"accounts", "known", "remaining_percent", "next_reset_at"});
}

json byStateSchema() {
    json by_state = s::shape({});
    for (std::size_t i = 0; i < routing::kOperatorStates; ++i) {
        const char* name = routing::operatorStateName(static_cast<routing::OperatorState>(i));
        by_state["properties"][name] = s::integer("accounts " + std::string(name));
        by_state["required"].push_back(name);
    }
    return by_state;
}

// The pool's requests and errors per minute over the last hour (this gateway process's).
json lastHour(const std::vector<accounting::RecentTraffic::Minute>& minutes) {
    json requests = json::array();
    json errors = json::array();
    std::uint64_t total_requests = 0;
    std::uint64_t total_errors = 0;
    for (const auto& minute : minutes) {
        requests.push_back(minute.requests);
        errors.push_back(minute.errors);
        total_requests += minute.requests;
        total_errors += minute.errors;
    }
    const sdk::TimePoint since{std::chrono::minutes(minutes.front().minute)};
    return {{"since", views::time(since)},
            {"requests", total_requests},
            {"errors", total_errors},
            {"requests_per_minute", std::move(requests)},
            {"errors_per_minute", std::move(errors)}};
}

json lastHourSchema() {
    const json per_minute = s::listOf(s::integer("one UTC minute"), "oldest first, 60 minutes");
    return s::shape(
        {{"since", views::timeSchema("the start of the first minute")},
         {"requests", s::integer("requests of the pool this gateway process answered")},
         {"errors", s::integer("of those, answered with an HTTP status of 400 or more")},
         {"requests_per_minute", per_minute},
         {"errors_per_minute", per_minute}},
        {"since", "requests", "errors", "requests_per_minute", "errors_per_minute"});
}

json poolCapacityView(const std::string& name, const routing::PoolCapacity& capacity,
                      json last_hour) {
    json by_state = json::object();
    for (std::size_t i = 0; i < routing::kOperatorStates; ++i) {
        by_state[routing::operatorStateName(static_cast<routing::OperatorState>(i))] =
            capacity.by_state[i];
    }
    return {{"pool", name},
            {"accounts", capacity.accounts},
            {"by_state", std::move(by_state)},
            {"five_hour", windowCapacity(capacity.five_hour)},
            {"weekly", windowCapacity(capacity.weekly)},
            {"last_hour", std::move(last_hour)}};
}

}  // namespace

void addCapacityOperations(Operations& operations, const AdminOperationsContext& context) {
    const json pool_schema =
        s::shape({{"pool", s::text("pool name")},
                  {"accounts", s::integer("accounts in the pool")},
                  {"by_state", byStateSchema()},
                  {"five_hour", windowCapacitySchema("5-hour")},
                  {"weekly", windowCapacitySchema("weekly")},
                  {"last_hour", lastHourSchema()}},
                 {"pool", "accounts", "by_state", "five_hour", "weekly", "last_hour"});
    operations.add(
        {"pools.capacity", kOperators, false,
         "Each pool at a glance: the quota left in its 5-hour and weekly windows (summed over "
         "its accounts, from the gateway's live quota evidence, with the next resets), its "
         "accounts by state (ready, cooling_down, paused, needs_sign_in), and its requests and "
         "errors per minute over the last hour",
         s::params({{"pool", s::text("only this pool", 63)}}),
         s::shape({{"as_of", views::timeSchema("the gateway's clock when this was computed")},
                   {"pools", s::listOf(pool_schema, "by pool name")}},
                  {"as_of", "pools"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto now = context.clock.now();
             const auto snapshot = context.routing.snapshot();
             const auto only = optionalString(call.params, "pool");
             if (only && snapshot->pool(*only) == nullptr) {
                 return sdk::Status(sdk::StatusCode::NotFound, "no pool " + *only);
             }
             const routing::RouteQuery any_model;
             const routing::ConditionOf condition_of = [&](const routing::RoutedAccount& account) {
                 return context.planner.assess(account, any_model, now).condition;
             };
             std::map<std::string, json> pools;  // by name: the snapshot's map has no order
             for (const auto& [name, pool] : snapshot->pools) {
                 if (!only || *only == name) {
                     pools[name] =
                         poolCapacityView(name, routing::poolCapacity(pool, condition_of, now),
                                          lastHour(context.traffic.lastHour(name, now)));
                 }
             }
             json list = json::array();
             for (auto& [name, view] : pools) {
                 list.push_back(std::move(view));
             }
             return json{{"as_of", views::time(now)}, {"pools", std::move(list)}};
         }});
}

}  // namespace sluice::core::ops::admin
