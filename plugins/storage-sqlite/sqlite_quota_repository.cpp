#include "sqlite_quota_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectSnapshot =
    "SELECT account_id, quota_window, used_percent, window_minutes, resets_at, observed_at, "
    "source FROM quota_snapshots";

sdk::QuotaSnapshotRecord readSnapshot(const SqliteStatement& row) {
    sdk::QuotaSnapshotRecord snapshot;
    snapshot.account_id = row.columnText(0);
    snapshot.window = row.columnText(1);
    snapshot.used_percent = row.columnDouble(2);
    snapshot.window_minutes = row.columnInt(3);
    snapshot.resets_at = fromMillis(row.columnInt(4));
    snapshot.observed_at = fromMillis(row.columnInt(5));
    snapshot.source = row.columnText(6);
    return snapshot;
}

}  // namespace

sdk::Status SqliteQuotaRepository::upsert(
    const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept {
    if (snapshots.empty()) {
        return sdk::Status::success();
    }
    return guarded("quotas.upsert", [&] {
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        {
            // INSERT ... SELECT needs its WHERE for SQLite to parse the upsert clause; here the
            // WHERE also does the skipping of unknown accounts.
            SqliteStatement upsert = connection_.prepare(
                "INSERT INTO quota_snapshots (account_id, quota_window, used_percent, "
                "window_minutes, resets_at, observed_at, source) "
                "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS "
                "(SELECT 1 FROM accounts WHERE id = ?1) "
                "ON CONFLICT (account_id, quota_window) DO UPDATE SET "
                "used_percent = excluded.used_percent, window_minutes = excluded.window_minutes, "
                "resets_at = excluded.resets_at, observed_at = excluded.observed_at, "
                "source = excluded.source");
            for (const sdk::QuotaSnapshotRecord& snapshot : snapshots) {
                upsert.bindText(1, snapshot.account_id)
                    .bindText(2, snapshot.window)
                    .bindDouble(3, snapshot.used_percent)
                    .bindInt(4, snapshot.window_minutes)
                    .bindInt(5, toMillis(snapshot.resets_at))
                    .bindInt(6, toMillis(snapshot.observed_at))
                    .bindText(7, snapshot.source);
                upsert.run();
                upsert.reset();
            }
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> SqliteQuotaRepository::list(
    std::optional<std::string_view> account_id) noexcept {
    return guarded("quotas.list", [&]() -> sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelectSnapshot) +
                                                     (account_id ? " WHERE account_id = ?1" : "") +
                                                     " ORDER BY account_id, quota_window");
        if (account_id) {
            select.bindText(1, *account_id);
        }
        std::vector<sdk::QuotaSnapshotRecord> snapshots;
        while (select.step()) {
            snapshots.push_back(readSnapshot(select));
        }
        return snapshots;
    });
}

}  // namespace sluice::plugins::storage_sqlite
