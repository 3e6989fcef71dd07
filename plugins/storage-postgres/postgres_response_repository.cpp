#include "postgres_response_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelect =
    "SELECT id, owner_key, kind, model, created_at, expires_at, sealed_key_version, sealed "
    "FROM stored_responses";

sdk::StoredResponseRecord readRecord(const PostgresResult& rows, int row) {
    sdk::StoredResponseRecord record;
    record.id = rows.text(row, 0);
    record.owner_key = rows.text(row, 1);
    record.kind = rows.text(row, 2) == sdk::storedKindName(sdk::StoredKind::Response)
                      ? sdk::StoredKind::Response
                      : sdk::StoredKind::ChatCompletion;
    record.model = rows.text(row, 3);
    record.created_at = fromMillis(rows.integer(row, 4));
    record.expires_at = fromMillis(rows.integer(row, 5));
    record.sealed = readSecret(rows, row, 6);
    return record;
}

/// The page's WHERE and ORDER BY: $1 owner, $2 kind, $3 model (empty: any), $4 now, $5 the id
/// the page starts after (empty: none), $6 the limit.
std::string pageClause(bool ascending) {
    const char* const beyond = ascending ? ">" : "<";
    return std::string(
               " WHERE owner_key = $1 AND kind = $2 AND ($3 = '' OR model = $3) AND "
               "expires_at > $4 AND ($5 = '' OR (created_at, id) ") +
           beyond +
           " (SELECT created_at, id FROM stored_responses WHERE id = $5 AND owner_key = $1 AND "
           "kind = $2)) ORDER BY created_at " +
           (ascending ? "ASC, id ASC" : "DESC, id DESC") + " LIMIT $6";
}

}  // namespace

sdk::Status PostgresResponseRepository::save(const sdk::StoredResponseRecord& record) noexcept {
    return guarded("responses.save", [&] {
        PostgresParams params;
        params.text(record.id)
            .text(record.owner_key)
            .text(sdk::storedKindName(record.kind))
            .text(record.model)
            .integer(toMillis(record.created_at))
            .integer(toMillis(record.expires_at));
        addSecret(params, record.sealed);
        pool_.acquire()->exec(
            "INSERT INTO stored_responses (id, owner_key, kind, model, created_at, expires_at, "
            "sealed_key_version, sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) "
            "DO UPDATE SET owner_key = excluded.owner_key, kind = excluded.kind, "
            "model = excluded.model, created_at = excluded.created_at, "
            "expires_at = excluded.expires_at, sealed_key_version = excluded.sealed_key_version, "
            "sealed = excluded.sealed",
            params);
        return sdk::Status::success();
    });
}

sdk::Result<sdk::StoredResponseRecord> PostgresResponseRepository::get(
    std::string_view id) noexcept {
    return guarded("responses.get", [&]() -> sdk::Result<sdk::StoredResponseRecord> {
        const PostgresResult rows = pool_.acquire()->exec(std::string(kSelect) + " WHERE id = $1",
                                                          PostgresParams().text(id));
        if (rows.rows() == 0) {
            return notFound("stored response", id);
        }
        return readRecord(rows, 0);
    });
}

sdk::Result<std::vector<sdk::StoredResponseRecord>> PostgresResponseRepository::list(
    const sdk::StoredResponseQuery& query) noexcept {
    using Page = std::vector<sdk::StoredResponseRecord>;
    return guarded("responses.list", [&]() -> sdk::Result<Page> {
        const PostgresResult rows =
            pool_.acquire()->exec(std::string(kSelect) + pageClause(query.ascending),
                                  PostgresParams()
                                      .text(query.owner_key)
                                      .text(sdk::storedKindName(query.kind))
                                      .text(query.model)
                                      .integer(toMillis(query.now))
                                      .text(query.after_id)
                                      .integer(query.limit));
        Page page;
        for (int row = 0; row < rows.rows(); ++row) {
            page.push_back(readRecord(rows, row));
        }
        return page;
    });
}

sdk::Status PostgresResponseRepository::remove(std::string_view id) noexcept {
    return guarded("responses.remove", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "DELETE FROM stored_responses WHERE id = $1", PostgresParams().text(id));
        return result.affected() == 0 ? notFound("stored response", id) : sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> PostgresResponseRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("responses.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        return pool_.acquire()
            ->exec("DELETE FROM stored_responses WHERE expires_at <= $1",
                   PostgresParams().integer(toMillis(now)))
            .affected();
    });
}

}  // namespace sluice::plugins::storage_postgres
