// The storage conformance suite on a real PostgreSQL: one throwaway cluster for the binary, a
// fresh database for every test.

#include "plugins/storage-postgres/postgres_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"
#include "tests/support/postgres_server.hpp"

namespace {

using sluice::sdk::testing::FakeConfig;
using sluice::tests::PostgresEnvironment;

[[maybe_unused]] auto* const environment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

// The host applies schema defaults before a factory sees its config; FakeConfig does not, so
// every key is spelled out here. Four connections let the suite's concurrent writers overlap.
sluice::sdk::StorageBackendPtr openPostgres(sluice::sdk::HostServices& host,
                                            const std::filesystem::path& /*dir*/) {
    auto& server = PostgresEnvironment::server();
    const auto config = FakeConfig::map({
        {"uri", FakeConfig::scalar(server.uri(server.createDatabase()))},
        {"password", FakeConfig::scalar("")},
        {"pool_size", FakeConfig::scalar("4")},
        {"connect_timeout", FakeConfig::scalar("5s")},
        {"acquire_timeout", FakeConfig::scalar("5s")},
        {"statement_timeout", FakeConfig::scalar("30s")},
    });
    return sluice::plugins::storage_postgres::PostgresBackendFactory().create(*config, host);
}

}  // namespace

SLUICE_INSTANTIATE_STORAGE_CONFORMANCE(Postgres, sluice::sdk::testing::StorageConformanceParam{
                                                     "postgres", openPostgres});
