#include "plugins/storage-postgres/postgres_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "plugins/storage-postgres/postgres_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::plugins::storage_postgres {
namespace {

using sdk::testing::FakeConfig;

struct Keys {
    std::string uri = "postgresql://sluice@db.internal:5433/gateway";
    std::string password = "";
    std::string pool_size = "8";
    std::string connect_timeout = "3s";
    std::string acquire_timeout = "250ms";
    std::string statement_timeout = "2s";
};

FakeConfig::Ptr config(const Keys& keys) {
    return FakeConfig::map({
        {"uri", FakeConfig::scalar(keys.uri)},
        {"password", FakeConfig::scalar(keys.password)},
        {"pool_size", FakeConfig::scalar(keys.pool_size)},
        {"connect_timeout", FakeConfig::scalar(keys.connect_timeout)},
        {"acquire_timeout", FakeConfig::scalar(keys.acquire_timeout)},
        {"statement_timeout", FakeConfig::scalar(keys.statement_timeout)},
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

/// The ConfigError a bad config raises, or a failure naming the config that was accepted.
sdk::ConfigError rejection(const Keys& keys) {
    try {
        parsePostgresConfig(*config(keys));
    } catch (const sdk::ConfigError& error) {
        return error;
    }
    throw std::runtime_error("the config was accepted");
}

std::string valueOf(const std::vector<std::pair<std::string, std::string>>& parameters,
                    const std::string& key) {
    for (const auto& [name, value] : parameters) {
        if (name == key) {
            return value;
        }
    }
    return {};
}

TEST(PostgresConfigTest, SchemaCarriesTheDefaultsAndMarksSecrets) {
    const sdk::ConfigSchema schema = PostgresBackendFactory().schema();
    ASSERT_EQ(schema.size(), 6u);
    EXPECT_TRUE(fieldNamed(schema, "uri").required);
    EXPECT_TRUE(fieldNamed(schema, "uri").secret);
    EXPECT_TRUE(fieldNamed(schema, "password").secret);
    EXPECT_EQ(fieldNamed(schema, "pool_size").default_value, "4");
    EXPECT_EQ(fieldNamed(schema, "pool_size").maximum, 64);
    EXPECT_EQ(fieldNamed(schema, "connect_timeout").type, sdk::FieldType::Duration);
    EXPECT_EQ(fieldNamed(schema, "connect_timeout").default_value, "5s");
    EXPECT_EQ(fieldNamed(schema, "acquire_timeout").default_value, "5s");
    EXPECT_EQ(fieldNamed(schema, "statement_timeout").default_value, "30s");
}

TEST(PostgresConfigTest, ParsesEveryKeyWithUnits) {
    Keys keys;
    keys.password = "hunter2";
    const PostgresConfig parsed = parsePostgresConfig(*config(keys));
    EXPECT_EQ(parsed.uri, keys.uri);
    EXPECT_EQ(parsed.password, "hunter2");
    EXPECT_EQ(parsed.pool_size, 8u);
    EXPECT_EQ(parsed.connect_timeout, std::chrono::seconds(3));
    EXPECT_EQ(parsed.acquire_timeout, std::chrono::milliseconds(250));
    EXPECT_EQ(parsed.statement_timeout, std::chrono::seconds(2));
}

TEST(PostgresConfigTest, AcceptsKeyValueConnectionStrings) {
    Keys keys;
    keys.uri = "host=/run/postgresql dbname=sluice user=gateway";
    EXPECT_EQ(parsePostgresConfig(*config(keys)).uri, keys.uri);
}

TEST(PostgresConfigTest, MalformedUriNamesItsPathWithoutEchoingIt) {
    Keys keys;
    keys.uri = "postgresql://gateway:s3cret@host/db?no_such_option=1";
    const sdk::ConfigError error = rejection(keys);
    EXPECT_EQ(error.path(), "uri");
    EXPECT_EQ(error.message().find("s3cret"), std::string::npos) << error.message();
}

TEST(PostgresConfigTest, EmptyUriIsRefused) {
    Keys keys;
    keys.uri = "";
    EXPECT_EQ(rejection(keys).path(), "uri");
}

TEST(PostgresConfigTest, PoolSizeOutOfRangeNamesItsPath) {
    Keys keys;
    keys.pool_size = "0";
    EXPECT_EQ(rejection(keys).path(), "pool_size");
    keys.pool_size = "65";
    EXPECT_EQ(rejection(keys).path(), "pool_size");
}

TEST(PostgresConfigTest, DurationsMustBePositiveAndConnectTimeoutWholeSeconds) {
    Keys zero_statement;
    zero_statement.statement_timeout = "0s";
    EXPECT_EQ(rejection(zero_statement).path(), "statement_timeout");

    Keys zero_acquire;
    zero_acquire.acquire_timeout = "0ms";
    EXPECT_EQ(rejection(zero_acquire).path(), "acquire_timeout");

    Keys short_connect;
    short_connect.connect_timeout = "500ms";
    EXPECT_EQ(rejection(short_connect).path(), "connect_timeout");
}

TEST(PostgresConfigTest, OwnSettingsComeAfterTheUriSoTheyWin) {
    Keys keys;
    keys.password = "hunter2";
    const auto parameters = connectionParameters(parsePostgresConfig(*config(keys)));
    ASSERT_FALSE(parameters.empty());
    EXPECT_EQ(parameters.front(), (std::pair<std::string, std::string>{"dbname", keys.uri}));
    EXPECT_EQ(valueOf(parameters, "password"), "hunter2");
    EXPECT_EQ(valueOf(parameters, "connect_timeout"), "3");
    EXPECT_EQ(valueOf(parameters, "options"), "-c statement_timeout=2000");
}

TEST(PostgresConfigTest, ServerOptionsInTheUriAreKeptBeforeTheStatementTimeout) {
    Keys keys;
    keys.uri = "postgresql:///sluice?options=-csearch_path%3Dgateway";
    const auto parameters = connectionParameters(parsePostgresConfig(*config(keys)));
    EXPECT_EQ(valueOf(parameters, "options"), "-csearch_path=gateway -c statement_timeout=2000");
    EXPECT_EQ(valueOf(parameters, "fallback_application_name"), "sluice");
}

TEST(PostgresConfigTest, NoPasswordKeyLeavesTheUrisOwn) {
    const auto parameters = connectionParameters(parsePostgresConfig(*config(Keys{})));
    for (const auto& [name, value] : parameters) {
        EXPECT_NE(name, "password");
    }
}

TEST(PostgresConfigTest, UnreachableServerNamesTheUriAndHidesThePassword) {
    Keys keys;
    keys.uri = "postgresql:///sluice?host=/nonexistent/sluice-socket-dir&user=gateway";
    keys.password = "hunter2";
    sdk::testing::FakeHost host;
    try {
        PostgresBackendFactory().create(*config(keys), host);
        FAIL() << "expected a ConfigError";
    } catch (const sdk::ConfigError& error) {
        EXPECT_EQ(error.path(), "uri");
        EXPECT_NE(error.message().find("cannot connect"), std::string::npos) << error.message();
        EXPECT_EQ(error.message().find("hunter2"), std::string::npos) << error.message();
    }
}

}  // namespace
}  // namespace sluice::plugins::storage_postgres
