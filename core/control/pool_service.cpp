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
    return runtime::mergePools(context_.pipeline.pools, stored.value());
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

sdk::Result<runtime::PoolEntry> PoolService::create(const PoolSpec& spec, const Actor& actor) {
    const auto fail = [&](sdk::StatusCode code, std::string message) -> sdk::Result<runtime::PoolEntry> {
        sdk::Status status{code, std::move(message)};
        recordAudit(context_, actor, "pool.create", spec.name, status);
        return status;
    };
    if (!isValidName(spec.name)) {
        return fail(sdk::StatusCode::InvalidArgument,
                    "pool names use lowercase letters, digits, '-' and '_' (at most 63)");
    }
    if (context_.pipeline.findPool(spec.name) != nullptr) {
        return fail(sdk::StatusCode::AlreadyExists,
                    "pool '" + spec.name + "' is declared in the pipeline; change it there");
    }
    std::string strategy;
    if (spec.strategy) {
        strategy = *spec.strategy;
        if (context_.pipeline.findStrategy(strategy) == nullptr) {
            return fail(sdk::StatusCode::InvalidArgument,
                        "strategy '" + strategy + "' is not defined under strategies in the pipeline");
        }
    } else if (context_.pipeline.strategies.size() == 1) {
        strategy = context_.pipeline.strategies.front().name;
    } else {
        return fail(sdk::StatusCode::InvalidArgument,
                    "name a strategy: the pipeline defines " +
                        std::to_string(context_.pipeline.strategies.size()) + " strategies");
    }
    if (spec.ring_size < 1 || spec.ring_size > 64) {
        return fail(sdk::StatusCode::InvalidArgument, "ring size must be between 1 and 64");
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
    return runtime::PoolEntry{record.name, record.strategy, record.ring_size, record.sticky_sessions,
                              runtime::PoolSource::Storage};
}

sdk::Status PoolService::remove(const std::string& name, const Actor& actor) {
    sdk::Status status;
    if (context_.pipeline.findPool(name) != nullptr) {
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
