#include "sqlite_file_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectFile =
    "SELECT id, pool, account_id, filename, purpose, bytes, created_at, expires_at FROM files";

sdk::FileRecord readFile(const SqliteStatement& row) {
    sdk::FileRecord file;
    file.id = row.columnText(0);
    file.pool = row.columnText(1);
    file.account_id = row.columnText(2);
    file.filename = row.columnText(3);
    file.purpose = row.columnText(4);
    file.bytes = static_cast<std::uint64_t>(row.columnInt(5));
    file.created_at = fromMillis(row.columnInt(6));
    file.expires_at = fromMillis(row.columnInt(7));
    return file;
}

}  // namespace

sdk::Status SqliteFileRepository::put(const sdk::FileRecord& file) noexcept {
    return guarded("files.put", [&] {
        auto lock = connection_.lock();
        SqliteStatement upsert = connection_.prepare(
            "INSERT INTO files (pool, id, account_id, filename, purpose, bytes, created_at, "
            "expires_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (pool, id) DO UPDATE SET "
            "account_id = excluded.account_id, filename = excluded.filename, purpose = "
            "excluded.purpose, "
            "bytes = excluded.bytes, created_at = excluded.created_at, expires_at = "
            "excluded.expires_at");
        upsert.bindText(1, file.pool)
            .bindText(2, file.id)
            .bindText(3, file.account_id)
            .bindText(4, file.filename)
            .bindText(5, file.purpose)
            .bindInt(6, static_cast<std::int64_t>(file.bytes))
            .bindInt(7, toMillis(file.created_at))
            .bindInt(8, toMillis(file.expires_at));
        upsert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::FileRecord> SqliteFileRepository::get(std::string_view pool, std::string_view id,
                                                       sdk::TimePoint now) noexcept {
    return guarded("files.get", [&]() -> sdk::Result<sdk::FileRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            std::string(kSelectFile) + " WHERE pool = ?1 AND id = ?2 AND expires_at > ?3");
        select.bindText(1, pool).bindText(2, id).bindInt(3, toMillis(now));
        if (!select.step()) {
            return notFound("file", id);
        }
        return readFile(select);
    });
}

sdk::Result<std::vector<sdk::FileRecord>> SqliteFileRepository::list(std::string_view pool,
                                                                     sdk::TimePoint now,
                                                                     std::uint32_t limit) noexcept {
    return guarded("files.list", [&]() -> sdk::Result<std::vector<sdk::FileRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            std::string(kSelectFile) +
            " WHERE pool = ?1 AND expires_at > ?2 ORDER BY created_at DESC, id DESC LIMIT ?3");
        select.bindText(1, pool).bindInt(2, toMillis(now)).bindInt(3, limit);
        std::vector<sdk::FileRecord> files;
        while (select.step()) {
            files.push_back(readFile(select));
        }
        return files;
    });
}

sdk::Status SqliteFileRepository::remove(std::string_view pool, std::string_view id) noexcept {
    return guarded("files.remove", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove =
            connection_.prepare("DELETE FROM files WHERE pool = ?1 AND id = ?2");
        remove.bindText(1, pool).bindText(2, id);
        remove.run();
        return connection_.changes() == 0 ? notFound("file", id) : sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> SqliteFileRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("files.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        auto lock = connection_.lock();
        SqliteStatement remove = connection_.prepare("DELETE FROM files WHERE expires_at <= ?1");
        remove.bindInt(1, toMillis(now));
        remove.run();
        return static_cast<std::uint64_t>(connection_.changes());
    });
}

}  // namespace sluice::plugins::storage_sqlite
