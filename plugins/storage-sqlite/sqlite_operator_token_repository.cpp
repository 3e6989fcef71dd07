#include "sqlite_operator_token_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectToken =
    "SELECT prefix, hash, kind, name, status, created_at, last_used_at FROM operator_tokens";

sdk::OperatorTokenRecord readToken(const SqliteStatement& row) {
    sdk::OperatorTokenRecord token;
    token.prefix = row.columnText(0);
    token.hash = row.columnText(1);
    token.kind = parseTokenKind(row.columnText(2));
    token.name = row.columnText(3);
    token.status = parseCredentialStatus(row.columnText(4));
    token.created_at = fromMillis(row.columnInt(5));
    token.last_used_at = fromMillis(row.columnInt(6));
    return token;
}

}  // namespace

sdk::Status SqliteOperatorTokenRepository::create(const sdk::OperatorTokenRecord& token) noexcept {
    return guarded("operator_tokens.create", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO operator_tokens (prefix, hash, kind, name, status, created_at, "
            "last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.bindText(1, token.prefix)
            .bindText(2, token.hash)
            .bindText(3, tokenKindText(token.kind))
            .bindText(4, token.name)
            .bindText(5, credentialStatusText(token.status))
            .bindInt(6, toMillis(token.created_at))
            .bindInt(7, toMillis(token.last_used_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::OperatorTokenRecord> SqliteOperatorTokenRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("operator_tokens.find", [&]() -> sdk::Result<sdk::OperatorTokenRecord> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelectToken) + " WHERE prefix = ?1");
        select.bindText(1, prefix);
        if (!select.step()) {
            return notFound("operator token", prefix);
        }
        return readToken(select);
    });
}

sdk::Result<std::vector<sdk::OperatorTokenRecord>> SqliteOperatorTokenRepository::list(
    sdk::OperatorTokenKind kind) noexcept {
    return guarded(
        "operator_tokens.list", [&]() -> sdk::Result<std::vector<sdk::OperatorTokenRecord>> {
            auto lock = connection_.lock();
            SqliteStatement select = connection_.prepare(
                std::string(kSelectToken) + " WHERE kind = ?1 ORDER BY created_at, rowid");
            select.bindText(1, tokenKindText(kind));
            std::vector<sdk::OperatorTokenRecord> tokens;
            while (select.step()) {
                tokens.push_back(readToken(select));
            }
            return tokens;
        });
}

sdk::Status SqliteOperatorTokenRepository::setStatus(std::string_view prefix,
                                                     sdk::CredentialStatus status) noexcept {
    return guarded("operator_tokens.set_status", [&] {
        auto lock = connection_.lock();
        SqliteStatement update =
            connection_.prepare("UPDATE operator_tokens SET status = ?2 WHERE prefix = ?1");
        update.bindText(1, prefix).bindText(2, credentialStatusText(status));
        update.run();
        return connection_.changes() == 0 ? notFound("operator token", prefix)
                                          : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_sqlite
