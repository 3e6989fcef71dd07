#include "sqlite_response_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelect =
    "SELECT id, owner_key, kind, model, created_at, expires_at, sealed_key_version, sealed "
    "FROM stored_responses";

sdk::StoredResponseRecord readRecord(const SqliteStatement& row) {
    sdk::StoredResponseRecord record;
    record.id = row.columnText(0);
    record.owner_key = row.columnText(1);
    record.kind = row.columnText(2) == sdk::storedKindName(sdk::StoredKind::Response)
                      ? sdk::StoredKind::Response
                      : sdk::StoredKind::ChatCompletion;
    record.model = row.columnText(3);
    record.created_at = fromMillis(row.columnInt(4));
    record.expires_at = fromMillis(row.columnInt(5));
    record.sealed = readSecret(row, 6);
    return record;
}

/// The page's WHERE and ORDER BY: ?1 owner, ?2 kind, ?3 model (empty: any), ?4 now, ?5 the
/// id the page starts after (empty: none).
std::string pageClause(bool ascending) {
    const char* const beyond = ascending ? ">" : "<";
    return std::string(
               " WHERE owner_key = ?1 AND kind = ?2 AND (?3 = '' OR model = ?3) AND "
               "expires_at > ?4 AND (?5 = '' OR (created_at, id) ") +
           beyond +
           " (SELECT created_at, id FROM stored_responses WHERE id = ?5 AND owner_key = ?1 AND "
           "kind = ?2)) ORDER BY created_at " +
           (ascending ? "ASC, id ASC" : "DESC, id DESC") + " LIMIT ?6";
}

}  // namespace

sdk::Status SqliteResponseRepository::save(const sdk::StoredResponseRecord& record) noexcept {
    return guarded("responses.save", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT OR REPLACE INTO stored_responses (id, owner_key, kind, model, created_at, "
            "expires_at, sealed_key_version, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        insert.bindText(1, record.id)
            .bindText(2, record.owner_key)
            .bindText(3, sdk::storedKindName(record.kind))
            .bindText(4, record.model)
            .bindInt(5, toMillis(record.created_at))
            .bindInt(6, toMillis(record.expires_at));
        bindSecret(insert, 7, record.sealed);
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::StoredResponseRecord> SqliteResponseRepository::get(std::string_view id) noexcept {
    return guarded("responses.get", [&]() -> sdk::Result<sdk::StoredResponseRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelect) + " WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("stored response", id);
        }
        return readRecord(select);
    });
}

sdk::Result<std::vector<sdk::StoredResponseRecord>> SqliteResponseRepository::list(
    const sdk::StoredResponseQuery& query) noexcept {
    using Page = std::vector<sdk::StoredResponseRecord>;
    return guarded("responses.list", [&]() -> sdk::Result<Page> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelect) + pageClause(query.ascending));
        select.bindText(1, query.owner_key)
            .bindText(2, sdk::storedKindName(query.kind))
            .bindText(3, query.model)
            .bindInt(4, toMillis(query.now))
            .bindText(5, query.after_id)
            .bindInt(6, query.limit);
        Page page;
        while (select.step()) {
            page.push_back(readRecord(select));
        }
        return page;
    });
}

sdk::Status SqliteResponseRepository::remove(std::string_view id) noexcept {
    return guarded("responses.remove", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove = connection_.prepare("DELETE FROM stored_responses WHERE id = ?1");
        remove.bindText(1, id);
        remove.run();
        return connection_.changes() == 0 ? notFound("stored response", id)
                                          : sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> SqliteResponseRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("responses.purge", [&]() -> sdk::Result<std::uint64_t> {
        auto lock = connection_.lock();
        SqliteStatement purge =
            connection_.prepare("DELETE FROM stored_responses WHERE expires_at <= ?1");
        purge.bindInt(1, toMillis(now));
        purge.run();
        return static_cast<std::uint64_t>(connection_.changes());
    });
}

}  // namespace sluice::plugins::storage_sqlite
