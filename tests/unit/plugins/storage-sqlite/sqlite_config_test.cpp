#include "plugins/storage-sqlite/sqlite_config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plugins/storage-sqlite/sqlite_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::storage_sqlite {
namespace {

using sdk::testing::FakeConfig;

FakeConfig::Ptr config(const std::string& path, const std::string& synchronous = "normal") {
    return FakeConfig::map({
        {"path", FakeConfig::scalar(path)},
        {"busy_timeout", FakeConfig::scalar("250ms")},
        {"synchronous", FakeConfig::scalar(synchronous)},
    });
}

const sdk::ConfigField& fieldNamed(const sdk::ConfigSchema& schema, const std::string& key) {
    for (const sdk::ConfigField& field : schema) {
        if (field.key == key) {
            return field;
        }
    }
    throw std::runtime_error("no field " + key);
}

TEST(SqliteConfigTest, SchemaCarriesTheDefaults) {
    const sdk::ConfigSchema schema = SqliteBackendFactory().schema();
    ASSERT_EQ(schema.size(), 3u);
    EXPECT_EQ(fieldNamed(schema, "path").default_value, "var/sluice.db");
    EXPECT_EQ(fieldNamed(schema, "busy_timeout").type, sdk::FieldType::Duration);
    EXPECT_EQ(fieldNamed(schema, "busy_timeout").default_value, "5s");
    EXPECT_EQ(fieldNamed(schema, "synchronous").default_value, "normal");
    EXPECT_EQ(fieldNamed(schema, "synchronous").choices,
              (std::vector<std::string>{"normal", "full"}));
}

TEST(SqliteConfigTest, ParsesEveryKey) {
    const SqliteConfig parsed = parseSqliteConfig(*config("/tmp/x.db", "full"));
    EXPECT_EQ(parsed.path, "/tmp/x.db");
    EXPECT_EQ(parsed.busy_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(parsed.synchronous, SyncMode::Full);
}

TEST(SqliteConfigTest, UnknownSynchronousNamesItsPath) {
    try {
        parseSqliteConfig(*config("/tmp/x.db", "off"));
        FAIL() << "expected a ConfigError";
    } catch (const sdk::ConfigError& error) {
        EXPECT_EQ(error.path(), "synchronous");
        EXPECT_NE(error.message().find("off"), std::string::npos) << error.message();
    }
}

TEST(SqliteConfigTest, UncreatableDirectoryNamesThePath) {
    sdk::testing::TempDirectory directory("sluice-sqlite-config");
    const auto blocker = directory.path() / "not-a-directory";
    std::ofstream(blocker) << "a file where a directory should be";
    sdk::testing::FakeHost host;

    try {
        SqliteBackendFactory().create(*config((blocker / "sluice.db").string()), host);
        FAIL() << "expected a ConfigError";
    } catch (const sdk::ConfigError& error) {
        EXPECT_EQ(error.path(), "path");
    }
}

}  // namespace
}  // namespace sluice::plugins::storage_sqlite
