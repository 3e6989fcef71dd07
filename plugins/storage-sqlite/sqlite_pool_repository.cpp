#include "sqlite_pool_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectPool =
    "SELECT name, strategy, ring_size, sticky_sessions, created_at, updated_at FROM pools";

sdk::PoolRecord readPool(const SqliteStatement& row) {
    sdk::PoolRecord pool;
    pool.name = row.columnText(0);
    pool.strategy = row.columnText(1);
    pool.ring_size = static_cast<std::uint32_t>(row.columnInt(2));
    pool.sticky_sessions = row.columnInt(3) != 0;
    pool.created_at = fromMillis(row.columnInt(4));
    pool.updated_at = fromMillis(row.columnInt(5));
    return pool;
}

}  // namespace

sdk::Status SqlitePoolRepository::create(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.create", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO pools (name, strategy, ring_size, sticky_sessions, created_at, "
            "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        insert.bindText(1, pool.name)
            .bindText(2, pool.strategy)
            .bindInt(3, pool.ring_size)
            .bindInt(4, pool.sticky_sessions ? 1 : 0)
            .bindInt(5, toMillis(pool.created_at))
            .bindInt(6, toMillis(pool.updated_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Status SqlitePoolRepository::update(const sdk::PoolRecord& pool) noexcept {
    return guarded("pools.update", [&] {
        auto lock = connection_.lock();
        SqliteStatement update = connection_.prepare(
            "UPDATE pools SET strategy = ?2, ring_size = ?3, sticky_sessions = ?4, "
            "updated_at = ?5 WHERE name = ?1");
        update.bindText(1, pool.name)
            .bindText(2, pool.strategy)
            .bindInt(3, pool.ring_size)
            .bindInt(4, pool.sticky_sessions ? 1 : 0)
            .bindInt(5, toMillis(pool.updated_at));
        update.run();
        return connection_.changes() == 0 ? notFound("pool", pool.name) : sdk::Status::success();
    });
}

sdk::Status SqlitePoolRepository::remove(std::string_view name) noexcept {
    return guarded("pools.remove", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove = connection_.prepare("DELETE FROM pools WHERE name = ?1");
        remove.bindText(1, name);
        remove.run();
        return connection_.changes() == 0 ? notFound("pool", name) : sdk::Status::success();
    });
}

sdk::Result<sdk::PoolRecord> SqlitePoolRepository::get(std::string_view name) noexcept {
    return guarded("pools.get", [&]() -> sdk::Result<sdk::PoolRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelectPool) + " WHERE name = ?1");
        select.bindText(1, name);
        if (!select.step()) {
            return notFound("pool", name);
        }
        return readPool(select);
    });
}

sdk::Result<std::vector<sdk::PoolRecord>> SqlitePoolRepository::list() noexcept {
    return guarded("pools.list", [&]() -> sdk::Result<std::vector<sdk::PoolRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelectPool) + " ORDER BY name");
        std::vector<sdk::PoolRecord> pools;
        while (select.step()) {
            pools.push_back(readPool(select));
        }
        return pools;
    });
}

}  // namespace sluice::plugins::storage_sqlite
