#pragma once

#include <cstdint>
#include <string_view>

#include "sluice/sdk/storage_records.hpp"
#include "sqlite_statement.hpp"

namespace sluice::plugins::storage_sqlite {

// How records map onto columns: times as integer unix milliseconds, enums as stable lowercase
// words (readable in the sqlite3 shell and immune to enum reordering), secrets as a key version
// plus a blob. Pure functions; the parse functions throw std::runtime_error on unknown text.

std::int64_t toMillis(sdk::TimePoint time) noexcept;
sdk::TimePoint fromMillis(std::int64_t millis) noexcept;

std::string_view accountStatusText(sdk::AccountStatus status) noexcept;
sdk::AccountStatus parseAccountStatus(std::string_view text);

std::string_view credentialStatusText(sdk::CredentialStatus status) noexcept;
sdk::CredentialStatus parseCredentialStatus(std::string_view text);

std::string_view tokenKindText(sdk::OperatorTokenKind kind) noexcept;

/// Account labels as stored: a JSON array of [key, value] pairs.
std::string labelsText(const sdk::Labels& labels);
sdk::Labels parseLabels(std::string_view text);
sdk::OperatorTokenKind parseTokenKind(std::string_view text);

/// Binds `secret` to parameters `index` (key version) and `index + 1` (ciphertext).
void bindSecret(SqliteStatement& statement, int index, const sdk::EncryptedSecret& secret);
/// Reads a secret from columns `column` (key version) and `column + 1` (ciphertext).
sdk::EncryptedSecret readSecret(const SqliteStatement& statement, int column);

}  // namespace sluice::plugins::storage_sqlite
