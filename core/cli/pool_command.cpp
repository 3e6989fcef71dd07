#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/control/pool_service.hpp"

namespace sluice::core::cli {

namespace {

nlohmann::json poolJson(const runtime::PoolEntry& pool) {
    return {{"name", pool.name},
            {"strategy", pool.strategy},
            {"ring_size", pool.ring_size},
            {"sticky_sessions", pool.sticky_sessions},
            {"source", pool.source == runtime::PoolSource::Pipeline ? "pipeline" : "storage"}};
}

std::uint32_t parseRingSize(const std::optional<std::string>& text) {
    if (!text) {
        return 3;
    }
    try {
        std::size_t used = 0;
        const int value = std::stoi(*text, &used);
        if (used == text->size() && value > 0) {
            return static_cast<std::uint32_t>(value);
        }
    } catch (const std::exception&) {
    }
    throw UsageError("--ring-size takes a positive integer");
}

}  // namespace

/// `sluice pool create --name N [--strategy S] [--ring-size K]`, `pool list`, `pool delete NAME`.
int poolCommand(CommandContext& context) {
    const std::string& action = context.args.word(1, "action (create, list or delete)");
    if (action == "create") {
        context.args.expect({"--config", "--json", "--name", "--strategy", "--ring-size"}, 2);
    } else if (action == "list") {
        context.args.expect({"--config", "--json"}, 2);
    } else if (action == "delete") {
        context.args.expect({"--config", "--json"}, 3);
    } else {
        throw UsageError("unknown pool action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::PoolService pools(control);
    if (action == "create") {
        control::PoolSpec spec;
        spec.name = context.args.required("--name");
        spec.strategy = context.args.option("--strategy");
        spec.ring_size = parseRingSize(context.args.option("--ring-size"));
        auto created = pools.create(spec, "cli");
        if (!created.ok()) {
            return context.fail(created.status());
        }
        if (context.json) {
            printJson(context.out, poolJson(created.value()));
        } else {
            context.out << "created pool " << created->name << " (strategy " << created->strategy
                        << ", ring size " << created->ring_size << ")\n";
        }
        return 0;
    }
    if (action == "delete") {
        const sdk::Status removed = pools.remove(context.args.word(2, "pool name"), "cli");
        if (!removed.ok()) {
            return context.fail(removed);
        }
        context.out << "deleted pool " << context.args.word(2, "pool name") << '\n';
        return 0;
    }
    auto listed = pools.list();
    if (!listed.ok()) {
        return context.fail(listed.status());
    }
    if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& pool : listed.value()) {
            items.push_back(poolJson(pool));
        }
        printJson(context.out, items);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& pool : listed.value()) {
        rows.push_back({pool.name, pool.strategy, std::to_string(pool.ring_size),
                        pool.sticky_sessions ? "yes" : "no",
                        pool.source == runtime::PoolSource::Pipeline ? "pipeline" : "storage"});
    }
    printTable(context.out, {"NAME", "STRATEGY", "RING", "STICKY", "SOURCE"}, rows);
    return 0;
}

}  // namespace sluice::core::cli
