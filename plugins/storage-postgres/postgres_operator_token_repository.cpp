#include "postgres_operator_token_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectToken =
    "SELECT prefix, hash, kind, name, status, created_at, last_used_at FROM operator_tokens";

sdk::OperatorTokenRecord readToken(const PostgresResult& rows, int row) {
    sdk::OperatorTokenRecord token;
    token.prefix = rows.text(row, 0);
    token.hash = rows.text(row, 1);
    token.kind = parseTokenKind(rows.text(row, 2));
    token.name = rows.text(row, 3);
    token.status = parseCredentialStatus(rows.text(row, 4));
    token.created_at = fromMillis(rows.integer(row, 5));
    token.last_used_at = fromMillis(rows.integer(row, 6));
    return token;
}

}  // namespace

sdk::Status PostgresOperatorTokenRepository::create(
    const sdk::OperatorTokenRecord& token) noexcept {
    return guarded("operator_tokens.create", [&] {
        pool_.acquire()->exec(
            "INSERT INTO operator_tokens (prefix, hash, kind, name, status, created_at, "
            "last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            PostgresParams()
                .text(token.prefix)
                .text(token.hash)
                .text(tokenKindText(token.kind))
                .text(token.name)
                .text(credentialStatusText(token.status))
                .integer(toMillis(token.created_at))
                .integer(toMillis(token.last_used_at)));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::OperatorTokenRecord> PostgresOperatorTokenRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("operator_tokens.find", [&]() -> sdk::Result<sdk::OperatorTokenRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectToken) + " WHERE prefix = $1", PostgresParams().text(prefix));
        if (rows.rows() == 0) {
            return notFound("operator token", prefix);
        }
        return readToken(rows, 0);
    });
}

sdk::Result<std::vector<sdk::OperatorTokenRecord>> PostgresOperatorTokenRepository::list(
    sdk::OperatorTokenKind kind) noexcept {
    return guarded("operator_tokens.list",
                   [&]() -> sdk::Result<std::vector<sdk::OperatorTokenRecord>> {
                       const PostgresResult rows = pool_.acquire()->exec(
                           std::string(kSelectToken) + " WHERE kind = $1 ORDER BY created_at, seq",
                           PostgresParams().text(tokenKindText(kind)));
                       std::vector<sdk::OperatorTokenRecord> tokens;
                       for (int row = 0; row < rows.rows(); ++row) {
                           tokens.push_back(readToken(rows, row));
                       }
                       return tokens;
                   });
}

sdk::Status PostgresOperatorTokenRepository::setStatus(std::string_view prefix,
                                                       sdk::CredentialStatus status) noexcept {
    return guarded("operator_tokens.set_status", [&] {
        const PostgresResult result =
            pool_.acquire()->exec("UPDATE operator_tokens SET status = $2 WHERE prefix = $1",
                                  PostgresParams().text(prefix).text(credentialStatusText(status)));
        return result.affected() == 0 ? notFound("operator token", prefix) : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_postgres
