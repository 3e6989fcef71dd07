#pragma once

#include "sluice/plugins/common/storage_codec.hpp"
#include "sluice/sdk/storage_records.hpp"
#include "sqlite_statement.hpp"

namespace sluice::plugins::storage_sqlite {

// Times, enums and labels map onto columns as in every SQL backend (storage_codec.hpp); secrets
// are a key version plus a blob.
using common::accountStatusText;
using common::credentialStatusText;
using common::fromMillis;
using common::labelsText;
using common::parseAccountStatus;
using common::parseCredentialStatus;
using common::parseLabels;
using common::parseTokenKind;
using common::parseWalletEntryKind;
using common::tokenKindText;
using common::toMillis;

/// Binds `secret` to parameters `index` (key version) and `index + 1` (ciphertext).
void bindSecret(SqliteStatement& statement, int index, const sdk::EncryptedSecret& secret);
/// Reads a secret from columns `column` (key version) and `column + 1` (ciphertext).
sdk::EncryptedSecret readSecret(const SqliteStatement& statement, int column);

}  // namespace sluice::plugins::storage_sqlite
