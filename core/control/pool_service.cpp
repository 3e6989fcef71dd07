#include "core/control/pool_service.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::control {

bool isValidName(const std::string& name) {
    if (name.empty() || name.size() > 63) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '-' && c != '_'))) {
            return false;
        }
    }
    return true;
}

sdk::Result<std::vector<runtime::PoolEntry>> PoolService::list() const {
    auto stored = context_.storage.pools().list();
    if (!stored.ok()) {
        return stored.status();
    }
    return runtime::mergePools(context_.pipeline()->pools, stored.value());
}

sdk::Result<runtime::PoolEntry> PoolService::find(const std::string& name) const {
    auto pools = list();
    if (!pools.ok()) {
        return pools.status();
    }
    for (auto& pool : pools.value()) {
        if (pool.name == name) {
            return pool;
        }
    }
    return sdk::Status{sdk::StatusCode::NotFound, "no pool named '" + name + "'"};
}

namespace {

sdk::Status checkStrategy(const config::Pipeline& pipeline, const std::string& strategy) {
    if (pipeline.findStrategy(strategy) == nullptr) {
        return {sdk::StatusCode::InvalidArgument,
                "strategy '" + strategy + "' is not defined under strategies in the pipeline"};
    }
    return {};
}

sdk::Status checkRingSize(std::uint32_t ring_size) {
    if (ring_size < 1 || ring_size > 64) {
        return {sdk::StatusCode::InvalidArgument, "ring size must be between 1 and 64"};
    }
    return {};
}

runtime::PoolEntry entryOf(const sdk::PoolRecord& record) {
    return {record.name, record.strategy, record.ring_size, record.sticky_sessions,
            runtime::PoolSource::Storage};
}

}  // namespace

sdk::Result<runtime::PoolEntry> PoolService::create(const PoolSpec& spec, const Actor& actor) {
    const auto fail = [&](sdk::StatusCode code,
                          std::string message) -> sdk::Result<runtime::PoolEntry> {
        sdk::Status status{code, std::move(message)};
        recordAudit(context_, actor, "pool.create", spec.name, status);
        return status;
    };
    const auto pipeline = context_.pipeline();
    if (!isValidName(spec.name)) {
        return fail(sdk::StatusCode::InvalidArgument,
                    "pool names use lowercase letters, digits, '-' and '_' (at most 63)");
    }
    if (pipeline->findPool(spec.name) != nullptr) {
        return fail(sdk::StatusCode::AlreadyExists,
                    "pool '" + spec.name + "' is declared in the pipeline; change it there");
    }
    std::string strategy;
    if (spec.strategy) {
        strategy = *spec.strategy;
        if (const sdk::Status status = checkStrategy(*pipeline, strategy); !status.ok()) {
            return fail(status.code(), status.message());
        }
    } else if (pipeline->strategies.size() == 1) {
        strategy = pipeline->strategies.front().name;
    } else {
        return fail(sdk::StatusCode::InvalidArgument,
                    "name a strategy: the pipeline defines " +
                        std::to_string(pipeline->strategies.size()) + " strategies");
    }
    if (const sdk::Status status = checkRingSize(spec.ring_size); !status.ok()) {
        return fail(status.code(), status.message());
    }
    sdk::PoolRecord record;
    record.name = spec.name;
    record.strategy = strategy;
    record.ring_size = spec.ring_size;
    record.sticky_sessions = spec.sticky_sessions;
    record.created_at = record.updated_at = context_.clock.now();
    sdk::Status status = context_.storage.pools().create(record);
    if (status.code() == sdk::StatusCode::AlreadyExists) {
        status = {sdk::StatusCode::AlreadyExists, "pool '" + spec.name + "' already exists"};
    }
    recordAudit(context_, actor, "pool.create", spec.name, status,
                nlohmann::json{{"strategy", strategy}, {"ring_size", spec.ring_size}}.dump());
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return entryOf(record);
}

sdk::Result<runtime::PoolEntry> PoolService::update(const std::string& name,
                                                    const PoolChange& change, const Actor& actor) {
    sdk::Status status;
    sdk::PoolRecord record;
    const auto pipeline = context_.pipeline();
    if (pipeline->findPool(name) != nullptr) {
        status = {sdk::StatusCode::FailedPrecondition,
                  "pool '" + name + "' is declared in the pipeline; change it there and reload"};
    } else if (auto stored = context_.storage.pools().get(name); !stored.ok()) {
        status = stored.status();
    } else {
        record = std::move(stored).value();
        record.strategy = change.strategy.value_or(record.strategy);
        record.ring_size = change.ring_size.value_or(record.ring_size);
        record.sticky_sessions = change.sticky_sessions.value_or(record.sticky_sessions);
        record.updated_at = context_.clock.now();
        status = checkStrategy(*pipeline, record.strategy);
        if (status.ok()) {
            status = checkRingSize(record.ring_size);
        }
        if (status.ok()) {
            status = context_.storage.pools().update(record);
        }
    }
    recordAudit(context_, actor, "pool.update", name, status,
                nlohmann::json{{"strategy", record.strategy},
                               {"ring_size", record.ring_size},
                               {"sticky_sessions", record.sticky_sessions}}
                    .dump());
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return entryOf(record);
}

sdk::Status PoolService::remove(const std::string& name, const Actor& actor) {
    sdk::Status status;
    if (context_.pipeline()->findPool(name) != nullptr) {
        status = {sdk::StatusCode::FailedPrecondition,
                  "pool '" + name + "' is declared in the pipeline; remove it there"};
    } else {
        auto accounts = context_.storage.accounts().list(name);
        auto keys = context_.storage.apiKeys().list(name);
        if (!accounts.ok()) {
            status = accounts.status();
        } else if (!keys.ok()) {
            status = keys.status();
        } else if (!accounts.value().empty() || !keys.value().empty()) {
            status = {sdk::StatusCode::FailedPrecondition,
                      "pool '" + name + "' still has " + std::to_string(accounts.value().size()) +
                          " account(s) and " + std::to_string(keys.value().size()) + " key(s)"};
        } else {
            status = context_.storage.pools().remove(name);
        }
    }
    recordAudit(context_, actor, "pool.delete", name, status);
    return notifyChange(context_, status);
}

}  // namespace sluice::core::control
