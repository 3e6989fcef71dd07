#include "core/control/pool_service.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

namespace {

const json kPoolName = s::text("pool name", 63);

json poolWithLoad(const runtime::PoolEntry& entry, const routing::RoutingSnapshot& snapshot) {
    json view = views::pool(entry);
    const routing::PoolRoute* route = snapshot.pool(entry.name);
    view["accounts"] = route != nullptr ? route->accounts.size() : 0;
    return view;
}

json poolWithLoadSchema() {
    json schema = views::poolSchema();
    schema["properties"]["accounts"] = s::integer("accounts in the pool");
    schema["required"].push_back("accounts");
    return schema;
}

}  // namespace

void addPoolAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add({"pools.list", kOperators, false,
                    "All pools: declared in the pipeline and created at run time", s::params({}),
                    s::shape({{"pools", s::listOf(poolWithLoadSchema())}}, {"pools"}),
                    [context](const OperationCall&) -> sdk::Result<json> {
                        auto pools = control::PoolService(context.control).list();
                        if (!pools.ok()) {
                            return pools.status();
                        }
                        const auto snapshot = context.routing.snapshot();
                        json list = json::array();
                        for (const auto& pool : pools.value()) {
                            list.push_back(poolWithLoad(pool, *snapshot));
                        }
                        return json{{"pools", std::move(list)}};
                    }});

    operations.add({"pools.get", kOperators, false, "One pool",
                    s::params({{"pool", kPoolName}}, {"pool"}), poolWithLoadSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        auto pool = control::PoolService(context.control).find(call.params["pool"]);
                        if (!pool.ok()) {
                            return pool.status();
                        }
                        return poolWithLoad(pool.value(), *context.routing.snapshot());
                    }});

    const s::Members settings{{"strategy", s::text("a strategy defined in the pipeline", 63)},
                              {"ring_size", s::integer("accounts tried per request", 1, 64)},
                              {"sticky_sessions", s::boolean("keep conversations on one account")}};
    s::Members create_params{{"pool", kPoolName}};
    create_params.insert(create_params.end(), settings.begin(), settings.end());
    operations.add({"pools.create", kAdmins, true, "Create a pool (kept in storage)",
                    s::params(create_params, {"pool"}), views::poolSchema(),
                    [context](const OperationCall& call) -> sdk::Result<json> {
                        control::PoolSpec spec;
                        spec.name = call.params["pool"];
                        spec.strategy = optionalString(call.params, "strategy");
                        spec.ring_size = call.params.value("ring_size", spec.ring_size);
                        spec.sticky_sessions =
                            call.params.value("sticky_sessions", spec.sticky_sessions);
                        auto pool =
                            control::PoolService(context.control).create(spec, actorOf(call));
                        if (!pool.ok()) {
                            return pool.status();
                        }
                        return views::pool(pool.value());
                    }});

    operations.add(
        {"pools.update", kAdmins, true,
         "Change a stored pool's strategy or settings (declared pools change in the pipeline file)",
         s::params(create_params, {"pool"}), views::poolSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             control::PoolChange change;
             change.strategy = optionalString(call.params, "strategy");
             if (call.params.contains("ring_size")) {
                 change.ring_size = call.params["ring_size"].get<std::uint32_t>();
             }
             if (call.params.contains("sticky_sessions")) {
                 change.sticky_sessions = call.params["sticky_sessions"].get<bool>();
             }
             auto pool = control::PoolService(context.control)
                             .update(call.params["pool"], change, actorOf(call));
             if (!pool.ok()) {
                 return pool.status();
             }
             return views::pool(pool.value());
         }});

    operations.add(
        {"pools.delete", kAdmins, true, "Delete a stored pool that has no accounts and no keys",
         s::params({{"pool", kPoolName}}, {"pool"}), doneSchema(),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto status =
                 control::PoolService(context.control).remove(call.params["pool"], actorOf(call));
             if (!status.ok()) {
                 return status;
             }
             return done();
         }});
}

}  // namespace sluice::core::ops::admin
