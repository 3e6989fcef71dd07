#pragma once

#include "postgres_connection.hpp"
#include "sluice/plugins/common/storage_codec.hpp"
#include "sluice/sdk/storage_records.hpp"

namespace sluice::plugins::storage_postgres {

// Times, enums and labels map onto columns as in every SQL backend (storage_codec.hpp); secrets
// are a key version plus BYTEA.
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

/// Appends `secret` as two parameters: key version, then ciphertext.
void addSecret(PostgresParams& params, const sdk::EncryptedSecret& secret);
/// Reads a secret from columns `column` (key version) and `column + 1` (ciphertext).
sdk::EncryptedSecret readSecret(const PostgresResult& result, int row, int column);

}  // namespace sluice::plugins::storage_postgres
