#include "postgres_affinity_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

sdk::Status PostgresAffinityRepository::put(const sdk::AffinityRecord& record) noexcept {
    return guarded("affinities.put", [&] {
        pool_.acquire()->exec(
            "INSERT INTO affinities (affinity_key, account_id, expires_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (affinity_key) DO UPDATE SET account_id = excluded.account_id, "
            "expires_at = excluded.expires_at",
            PostgresParams()
                .text(record.key)
                .text(record.account_id)
                .integer(toMillis(record.expires_at)));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AffinityRecord> PostgresAffinityRepository::get(std::string_view key,
                                                                 sdk::TimePoint now) noexcept {
    return guarded("affinities.get", [&]() -> sdk::Result<sdk::AffinityRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            "SELECT affinity_key, account_id, expires_at FROM affinities "
            "WHERE affinity_key = $1 AND expires_at > $2",
            PostgresParams().text(key).integer(toMillis(now)));
        if (rows.rows() == 0) {
            return notFound("affinity", key);
        }
        sdk::AffinityRecord record;
        record.key = rows.text(0, 0);
        record.account_id = rows.text(0, 1);
        record.expires_at = fromMillis(rows.integer(0, 2));
        return record;
    });
}

sdk::Result<std::uint64_t> PostgresAffinityRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("affinities.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        return pool_.acquire()
            ->exec("DELETE FROM affinities WHERE expires_at <= $1",
                   PostgresParams().integer(toMillis(now)))
            .affected();
    });
}

}  // namespace sluice::plugins::storage_postgres
