#include "postgres_quota_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectSnapshot =
    "SELECT account_id, quota_window, used_percent, window_minutes, resets_at, observed_at, "
    "source FROM quota_snapshots";

sdk::QuotaSnapshotRecord readSnapshot(const PostgresResult& rows, int row) {
    sdk::QuotaSnapshotRecord snapshot;
    snapshot.account_id = rows.text(row, 0);
    snapshot.window = rows.text(row, 1);
    snapshot.used_percent = rows.real(row, 2);
    snapshot.window_minutes = rows.integer(row, 3);
    snapshot.resets_at = fromMillis(rows.integer(row, 4));
    snapshot.observed_at = fromMillis(rows.integer(row, 5));
    snapshot.source = rows.text(row, 6);
    return snapshot;
}

}  // namespace

sdk::Status PostgresQuotaRepository::upsert(
    const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept {
    if (snapshots.empty()) {
        return sdk::Status::success();
    }
    return guarded("quotas.upsert", [&] {
        // The WHERE skips unknown accounts. A select list gives its parameters no column to take
        // a type from, hence the casts.
        constexpr const char* kUpsert =
            "INSERT INTO quota_snapshots (account_id, quota_window, used_percent, "
            "window_minutes, resets_at, observed_at, source) "
            "SELECT $1::text, $2::text, $3::double precision, $4::bigint, $5::bigint, "
            "$6::bigint, $7::text WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1::text) "
            "ON CONFLICT (account_id, quota_window) DO UPDATE SET "
            "used_percent = excluded.used_percent, window_minutes = excluded.window_minutes, "
            "resets_at = excluded.resets_at, observed_at = excluded.observed_at, "
            "source = excluded.source";
        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        for (const sdk::QuotaSnapshotRecord& snapshot : snapshots) {
            connection->exec(kUpsert, PostgresParams()
                                          .text(snapshot.account_id)
                                          .text(snapshot.window)
                                          .real(snapshot.used_percent)
                                          .integer(snapshot.window_minutes)
                                          .integer(toMillis(snapshot.resets_at))
                                          .integer(toMillis(snapshot.observed_at))
                                          .text(snapshot.source));
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> PostgresQuotaRepository::list(
    std::optional<std::string_view> account_id) noexcept {
    return guarded("quotas.list", [&]() -> sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> {
        const PostgresResult rows =
            account_id ? pool_.acquire()->exec(std::string(kSelectSnapshot) +
                                                   " WHERE account_id = $1 ORDER BY account_id, "
                                                   "quota_window",
                                               PostgresParams().text(*account_id))
                       : pool_.acquire()->exec(std::string(kSelectSnapshot) +
                                               " ORDER BY account_id, quota_window");
        std::vector<sdk::QuotaSnapshotRecord> snapshots;
        for (int row = 0; row < rows.rows(); ++row) {
            snapshots.push_back(readSnapshot(rows, row));
        }
        return snapshots;
    });
}

}  // namespace sluice::plugins::storage_postgres
