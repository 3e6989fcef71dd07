#include "plugins/storage-sqlite/sqlite_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"

namespace {

using sluice::sdk::testing::FakeConfig;

// The host applies schema defaults before a factory sees its config; FakeConfig does not, so
// every key is spelled out here.
sluice::sdk::StorageBackendPtr openSqlite(sluice::sdk::HostServices& host,
                                          const std::filesystem::path& dir) {
    const auto config = FakeConfig::map({
        {"path", FakeConfig::scalar((dir / "var" / "sluice.db").string())},
        {"busy_timeout", FakeConfig::scalar("5s")},
        {"synchronous", FakeConfig::scalar("normal")},
    });
    return sluice::plugins::storage_sqlite::SqliteBackendFactory().create(*config, host);
}

}  // namespace

SLUICE_INSTANTIATE_STORAGE_CONFORMANCE(Sqlite, sluice::sdk::testing::StorageConformanceParam{
                                                   "sqlite", openSqlite});
