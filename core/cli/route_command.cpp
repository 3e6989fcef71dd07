#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/ops/route_explain.hpp"
#include "core/runtime/directory.hpp"

namespace sluice::core::cli {

namespace {

// Stored quota evidence (from probes) is all the CLI can know of an account's quota.
void applyStoredQuota(sdk::StorageBackend& storage, const routing::RoutingSnapshot& snapshot) {
    for (const auto& [id, account] : snapshot.accounts) {
        auto snapshots = storage.quotas().list(std::string_view(id));
        if (!snapshots.ok()) {
            continue;
        }
        for (const auto& record : snapshots.value()) {
            routing::QuotaObservation quota;
            const routing::WindowObservation window{record.used_percent, record.window_minutes,
                                                    record.resets_at,
                                                    routing::quotaSourceNamed(record.source)};
            (record.window == "secondary" ? quota.secondary : quota.primary) = window;
            account->state->applyQuota(quota, record.observed_at);
        }
    }
}

std::string percent(const nlohmann::json& window) {
    return window.is_null()
               ? "-"
               : std::to_string(static_cast<int>(window["used_percent"].get<double>() + 0.5)) + "%";
}

}  // namespace

/// `sluice route explain --pool P [--model M] [--session S]`: a dry run of routing against
/// stored state (the running gateway also knows circuits, affinities and in-flight counts).
int routeCommand(CommandContext& context) {
    const std::string& action = context.args.word(1, "action (explain)");
    if (action != "explain") {
        throw UsageError("unknown route action '" + action + "'");
    }
    context.args.expect({"--config", "--json", "--pool", "--model", "--session"}, 2);
    auto runtime = context.openRuntime();
    runtime::Host& host = runtime->host();
    routing::StrategySet strategies;
    for (const auto& decl : runtime->pipeline().strategies) {
        strategies[decl.name] = runtime->plugins().createStrategy(decl.type, *decl.config, host);
    }
    runtime::Directory directory(runtime->storage(), runtime->pipeline().pools,
                                 host.logger("directory"));
    if (!directory.refreshNow()) {
        return context.fail(
            {sdk::StatusCode::Unavailable, "cannot read pools and accounts from storage"});
    }
    routing::RoutingTable routing(runtime->secrets(), strategies, host.logger("routing"),
                                  runtime->pipeline().accounts.quota_freshness);
    routing.rebuild(*directory.snapshot());
    const auto snapshot = routing.snapshot();
    applyStoredQuota(runtime->storage(), *snapshot);
    const std::string pool_name = context.args.required("--pool");
    const routing::PoolRoute* pool = snapshot->pool(pool_name);
    if (pool == nullptr) {
        return context.fail({sdk::StatusCode::NotFound, "no pool named '" + pool_name + "'"});
    }
    routing::AffinityTable affinities;
    const routing::RoutePlanner planner(affinities, host.clock());
    routing::RouteQuery query;
    query.model = context.args.option("--model").value_or("");
    query.route_class = sdk::RouteClass::ProxyStream;
    query.session_key = context.args.option("--session").value_or("");
    const nlohmann::json explanation = ops::explainRoute(*pool, planner, query, host.clock().now());
    if (context.json) {
        printJson(context.out, explanation);
        return 0;
    }
    context.out << "pool " << pool->pool.name << " (strategy " << pool->pool.strategy << ", ring "
                << pool->pool.ring_size << ")"
                << (query.model.empty() ? "" : ", model " + query.model) << ": "
                << pool->accounts.size() << " account(s)\n";
    if (explanation.contains("problem")) {
        context.out << "problem: " << explanation["problem"].get<std::string>() << '\n';
    }
    std::vector<std::vector<std::string>> rows;
    int position = 1;
    for (const auto& entry : explanation["order"]) {
        rows.push_back({std::to_string(position++), entry["label"], percent(entry["primary"]),
                        percent(entry["secondary"]), entry["demoted"].get<bool>() ? "yes" : "no"});
    }
    for (const auto& entry : explanation["excluded"]) {
        rows.push_back(
            {"-", entry["label"], "", "", "excluded: " + entry["reason"].get<std::string>()});
    }
    printTable(context.out, {"TRY", "ACCOUNT", "PRIMARY", "SECONDARY", "NOTE"}, rows);
    context.out << "(circuits, session affinity and in-flight counts live in the running gateway; "
                   "this dry run "
                   "reads stored state)\n";
    return 0;
}

}  // namespace sluice::core::cli
