#include "memory_pool_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryPoolRepository::create(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.create", [&] {
        std::lock_guard lock(state_.mutex);
        sdk::PoolRecord stored = pool;
        stored.created_at = toStoredTime(pool.created_at);
        stored.updated_at = toStoredTime(pool.updated_at);
        if (!state_.pools.emplace(pool.name, std::move(stored)).second) {
            return alreadyExists("pool", pool.name);
        }
        return sdk::Status::success();
    });
}

sdk::Status MemoryPoolRepository::update(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.update", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.pools.find(pool.name);
        if (found == state_.pools.end()) {
            return notFound("pool", pool.name);
        }
        sdk::PoolRecord& stored = found->second;
        stored.strategy = pool.strategy;
        stored.ring_size = pool.ring_size;
        stored.sticky_sessions = pool.sticky_sessions;
        stored.updated_at = toStoredTime(pool.updated_at);
        return sdk::Status::success();
    });
}

sdk::Status MemoryPoolRepository::remove(std::string_view name) noexcept {
    return guarded("pools.remove", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.pools.find(name);
        if (found == state_.pools.end()) {
            return notFound("pool", name);
        }
        state_.pools.erase(found);
        return sdk::Status::success();
    });
}

sdk::Result<sdk::PoolRecord> MemoryPoolRepository::get(std::string_view name) noexcept {
    return guarded("pools.get", [&]() -> sdk::Result<sdk::PoolRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.pools.find(name);
        if (found == state_.pools.end()) {
            return notFound("pool", name);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::PoolRecord>> MemoryPoolRepository::list() noexcept {
    return guarded("pools.list", [&]() -> sdk::Result<std::vector<sdk::PoolRecord>> {
        std::lock_guard lock(state_.mutex);
        std::vector<sdk::PoolRecord> pools;
        pools.reserve(state_.pools.size());
        for (const auto& [name, pool] : state_.pools) {
            pools.push_back(pool);
        }
        return pools;
    });
}

}  // namespace sluice::plugins::storage_memory
