#include "sqlite_affinity_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

sdk::Status SqliteAffinityRepository::put(const sdk::AffinityRecord& record) noexcept {
    return guarded("affinities.put", [&] {
        auto lock = connection_.lock();
        SqliteStatement upsert = connection_.prepare(
            "INSERT INTO affinities (affinity_key, account_id, expires_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (affinity_key) DO UPDATE SET account_id = excluded.account_id, "
            "expires_at = excluded.expires_at");
        upsert.bindText(1, record.key)
            .bindText(2, record.account_id)
            .bindInt(3, toMillis(record.expires_at));
        upsert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AffinityRecord> SqliteAffinityRepository::get(std::string_view key,
                                                               sdk::TimePoint now) noexcept {
    return guarded("affinities.get", [&]() -> sdk::Result<sdk::AffinityRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            "SELECT affinity_key, account_id, expires_at FROM affinities "
            "WHERE affinity_key = ?1 AND expires_at > ?2");
        select.bindText(1, key).bindInt(2, toMillis(now));
        if (!select.step()) {
            return notFound("affinity", key);
        }
        sdk::AffinityRecord record;
        record.key = select.columnText(0);
        record.account_id = select.columnText(1);
        record.expires_at = fromMillis(select.columnInt(2));
        return record;
    });
}

sdk::Result<std::uint64_t> SqliteAffinityRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("affinities.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        auto lock = connection_.lock();
        SqliteStatement remove =
            connection_.prepare("DELETE FROM affinities WHERE expires_at <= ?1");
        remove.bindInt(1, toMillis(now));
        remove.run();
        return static_cast<std::uint64_t>(connection_.changes());
    });
}

}  // namespace sluice::plugins::storage_sqlite
