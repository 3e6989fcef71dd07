#include "postgres_codec.hpp"

namespace sluice::plugins::storage_postgres {

void addSecret(PostgresParams& params, const sdk::EncryptedSecret& secret) {
    params.integer(secret.key_version).bytes(secret.ciphertext);
}

sdk::EncryptedSecret readSecret(const PostgresResult& result, int row, int column) {
    sdk::EncryptedSecret secret;
    secret.key_version = static_cast<std::uint32_t>(result.integer(row, column));
    secret.ciphertext = result.bytes(row, column + 1);
    return secret;
}

}  // namespace sluice::plugins::storage_postgres
