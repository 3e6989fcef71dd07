#include "sqlite_codec.hpp"

namespace sluice::plugins::storage_sqlite {

void bindSecret(SqliteStatement& statement, int index, const sdk::EncryptedSecret& secret) {
    statement.bindInt(index, secret.key_version);
    statement.bindBlob(index + 1, secret.ciphertext);
}

sdk::EncryptedSecret readSecret(const SqliteStatement& statement, int column) {
    sdk::EncryptedSecret secret;
    secret.key_version = static_cast<std::uint32_t>(statement.columnInt(column));
    secret.ciphertext = statement.columnBlob(column + 1);
    return secret;
}

}  // namespace sluice::plugins::storage_sqlite
