#include "postgres_file_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectFile =
    "SELECT id, pool, account_id, filename, purpose, bytes, created_at, expires_at FROM files";

sdk::FileRecord readFile(const PostgresResult& rows, int row) {
    sdk::FileRecord file;
    file.id = rows.text(row, 0);
    file.pool = rows.text(row, 1);
    file.account_id = rows.text(row, 2);
    file.filename = rows.text(row, 3);
    file.purpose = rows.text(row, 4);
    file.bytes = rows.counter(row, 5);
    file.created_at = fromMillis(rows.integer(row, 6));
    file.expires_at = fromMillis(rows.integer(row, 7));
    return file;
}

}  // namespace

sdk::Status PostgresFileRepository::put(const sdk::FileRecord& file) noexcept {
    return guarded("files.put", [&] {
        pool_.acquire()->exec(
            "INSERT INTO files (pool, id, account_id, filename, purpose, bytes, created_at, "
            "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (pool, id) DO "
            "UPDATE SET account_id = excluded.account_id, filename = excluded.filename, "
            "purpose = excluded.purpose, bytes = excluded.bytes, "
            "created_at = excluded.created_at, expires_at = excluded.expires_at",
            PostgresParams()
                .text(file.pool)
                .text(file.id)
                .text(file.account_id)
                .text(file.filename)
                .text(file.purpose)
                .counter(file.bytes)
                .integer(toMillis(file.created_at))
                .integer(toMillis(file.expires_at)));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::FileRecord> PostgresFileRepository::get(std::string_view pool, std::string_view id,
                                                         sdk::TimePoint now) noexcept {
    return guarded("files.get", [&]() -> sdk::Result<sdk::FileRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectFile) + " WHERE pool = $1 AND id = $2 AND expires_at > $3",
            PostgresParams().text(pool).text(id).integer(toMillis(now)));
        if (rows.rows() == 0) {
            return notFound("file", id);
        }
        return readFile(rows, 0);
    });
}

sdk::Result<std::vector<sdk::FileRecord>> PostgresFileRepository::list(
    std::string_view pool, sdk::TimePoint now, std::uint32_t limit) noexcept {
    return guarded("files.list", [&]() -> sdk::Result<std::vector<sdk::FileRecord>> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectFile) +
                " WHERE pool = $1 AND expires_at > $2 ORDER BY created_at DESC, id DESC LIMIT $3",
            PostgresParams().text(pool).integer(toMillis(now)).integer(limit));
        std::vector<sdk::FileRecord> files;
        for (int row = 0; row < rows.rows(); ++row) {
            files.push_back(readFile(rows, row));
        }
        return files;
    });
}

sdk::Status PostgresFileRepository::remove(std::string_view pool, std::string_view id) noexcept {
    return guarded("files.remove", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "DELETE FROM files WHERE pool = $1 AND id = $2", PostgresParams().text(pool).text(id));
        return result.affected() == 0 ? notFound("file", id) : sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> PostgresFileRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("files.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        return pool_.acquire()
            ->exec("DELETE FROM files WHERE expires_at <= $1",
                   PostgresParams().integer(toMillis(now)))
            .affected();
    });
}

}  // namespace sluice::plugins::storage_postgres
