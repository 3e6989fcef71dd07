#include "postgres_pool_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectPool =
    "SELECT name, strategy, ring_size, sticky_sessions, created_at, updated_at FROM pools";

sdk::PoolRecord readPool(const PostgresResult& rows, int row) {
    sdk::PoolRecord pool;
    pool.name = rows.text(row, 0);
    pool.strategy = rows.text(row, 1);
    pool.ring_size = static_cast<std::uint32_t>(rows.integer(row, 2));
    pool.sticky_sessions = rows.boolean(row, 3);
    pool.created_at = fromMillis(rows.integer(row, 4));
    pool.updated_at = fromMillis(rows.integer(row, 5));
    return pool;
}

}  // namespace

sdk::Status PostgresPoolRepository::create(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.create", [&] {
        pool_.acquire()->exec(
            "INSERT INTO pools (name, strategy, ring_size, sticky_sessions, created_at, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            PostgresParams()
                .text(pool.name)
                .text(pool.strategy)
                .integer(pool.ring_size)
                .boolean(pool.sticky_sessions)
                .integer(toMillis(pool.created_at))
                .integer(toMillis(pool.updated_at)));
        return sdk::Status::success();
    });
}

sdk::Status PostgresPoolRepository::update(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.update", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "UPDATE pools SET strategy = $2, ring_size = $3, sticky_sessions = $4, "
            "updated_at = $5 WHERE name = $1",
            PostgresParams()
                .text(pool.name)
                .text(pool.strategy)
                .integer(pool.ring_size)
                .boolean(pool.sticky_sessions)
                .integer(toMillis(pool.updated_at)));
        return result.affected() == 0 ? notFound("pool", pool.name) : sdk::Status::success();
    });
}

sdk::Status PostgresPoolRepository::remove(std::string_view name) noexcept {
    return guarded("pools.remove", [&] {
        const PostgresResult result =
            pool_.acquire()->exec("DELETE FROM pools WHERE name = $1", PostgresParams().text(name));
        return result.affected() == 0 ? notFound("pool", name) : sdk::Status::success();
    });
}

sdk::Result<sdk::PoolRecord> PostgresPoolRepository::get(std::string_view name) noexcept {
    return guarded("pools.get", [&]() -> sdk::Result<sdk::PoolRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectPool) + " WHERE name = $1", PostgresParams().text(name));
        if (rows.rows() == 0) {
            return notFound("pool", name);
        }
        return readPool(rows, 0);
    });
}

sdk::Result<std::vector<sdk::PoolRecord>> PostgresPoolRepository::list() noexcept {
    return guarded("pools.list", [&]() -> sdk::Result<std::vector<sdk::PoolRecord>> {
        const PostgresResult rows =
            pool_.acquire()->exec(std::string(kSelectPool) + " ORDER BY name");
        std::vector<sdk::PoolRecord> pools;
        for (int row = 0; row < rows.rows(); ++row) {
            pools.push_back(readPool(rows, row));
        }
        return pools;
    });
}

}  // namespace sluice::plugins::storage_postgres
