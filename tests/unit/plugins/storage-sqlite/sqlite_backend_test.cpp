#include "plugins/storage-sqlite/sqlite_backend.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "plugins/storage-sqlite/migrations.hpp"
#include "plugins/storage-sqlite/sqlite_factory.hpp"
#include "sluice/plugins/common/storage_tables.hpp"
#include "sluice/sdk/storage_transfer.hpp"
#include "sluice/sdk/storage_wallets.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::storage_sqlite {
namespace {

using sdk::testing::FakeConfig;

/// A second, independent connection that looks at the file the way an operator's sqlite3
/// shell would.
class RawDatabase final {
public:
    explicit RawDatabase(const std::filesystem::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
        }
    }
    ~RawDatabase() { sqlite3_close_v2(db_); }
    RawDatabase(const RawDatabase&) = delete;
    RawDatabase& operator=(const RawDatabase&) = delete;

    /// Every row of `sql`, each column as text.
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
            return out;
        }
        while (sqlite3_step(statement) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(statement); ++i) {
                const auto* text = sqlite3_column_text(statement, i);
                row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(statement);
        return out;
    }

    std::string scalar(const std::string& sql) {
        const auto result = rows(sql);
        return result.empty() || result[0].empty() ? std::string() : result[0][0];
    }

private:
    sqlite3* db_ = nullptr;
};

class SqliteBackendTest : public ::testing::Test {
protected:
    std::filesystem::path databasePath() const { return directory_.path() / "sluice.db"; }

    sdk::StorageBackendPtr open(const std::filesystem::path& path) {
        const auto config = FakeConfig::map({
            {"path", FakeConfig::scalar(path.string())},
            {"busy_timeout", FakeConfig::scalar("2s")},
            {"synchronous", FakeConfig::scalar("normal")},
        });
        return SqliteBackendFactory().create(*config, host_);
    }

    /// A database left by the first release: schema version 1 with `rows` (SQL inserts) in it.
    void seedVersionOneDatabase(const std::string& rows) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(databasePath().c_str(), &db), SQLITE_OK);
        const std::string setup =
            std::string(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at INTEGER NOT NULL) STRICT;") +
            migrations()[0].sql + "INSERT INTO schema_migrations VALUES (1, 'initial schema', 0);" +
            rows;
        ASSERT_EQ(sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
            << sqlite3_errmsg(db);
        sqlite3_close(db);
    }

    sdk::testing::FakeHost host_;
    sdk::testing::TempDirectory directory_{"sluice-sqlite-test"};
};

sdk::AccountRecord account(const std::string& id, std::string ciphertext) {
    sdk::AccountRecord record;
    record.id = id;
    record.pool = "team";
    record.label = "label-" + id;
    record.chatgpt_account_id = "chatgpt-" + id;
    record.access_token = {4, std::move(ciphertext)};
    return record;
}

TEST_F(SqliteBackendTest, UsesWriteAheadLogging) {
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());

    RawDatabase raw(databasePath());
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteBackendTest, RecordsEachMigrationOnce) {
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    ASSERT_TRUE(storage->migrate().ok());

    RawDatabase raw(databasePath());
    const auto recorded = raw.rows("SELECT version, name FROM schema_migrations ORDER BY version");
    ASSERT_EQ(recorded.size(), migrations().size());
    for (std::size_t i = 0; i < recorded.size(); ++i) {
        EXPECT_EQ(recorded[i][0], std::to_string(migrations()[i].version));
        EXPECT_EQ(recorded[i][1], migrations()[i].name);
    }
}

TEST_F(SqliteBackendTest, ReopeningAnExistingFileKeepsItsData) {
    {
        auto storage = open(databasePath());
        ASSERT_TRUE(storage->migrate().ok());
        ASSERT_TRUE(storage->accounts().create(account("acct_1", "secret")).ok());
    }
    auto reopened = open(databasePath());
    ASSERT_TRUE(reopened->migrate().ok());
    auto stored = reopened->accounts().get("acct_1");
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_EQ(stored->access_token.ciphertext, "secret");
}

TEST_F(SqliteBackendTest, CreatesAMissingParentDirectory) {
    const auto path = directory_.path() / "var" / "lib" / "sluice" / "sluice.db";
    auto storage = open(path);
    ASSERT_TRUE(storage->migrate().ok());
    EXPECT_TRUE(std::filesystem::is_regular_file(path));
}

TEST_F(SqliteBackendTest, StoresSecretsAsExactBlobs) {
    std::string every_byte;
    for (int i = 0; i < 256; ++i) {
        every_byte.push_back(static_cast<char>(i));
    }
    every_byte += std::string("\0\0", 2);
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    ASSERT_TRUE(storage->accounts().create(account("acct_1", every_byte)).ok());

    auto stored = storage->accounts().get("acct_1");
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_EQ(stored->access_token.key_version, 4u);
    EXPECT_EQ(stored->access_token.ciphertext, every_byte);

    RawDatabase raw(databasePath());
    const auto row = raw.rows(
        "SELECT typeof(access_token), length(access_token), access_token_key_version, "
        "typeof(refresh_token), length(refresh_token) FROM accounts");
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(row[0], (std::vector<std::string>{"blob", std::to_string(every_byte.size()), "4",
                                                "blob", "0"}));
}

TEST_F(SqliteBackendTest, RefusesASchemaFromANewerBuild) {
    {
        auto storage = open(databasePath());
        ASSERT_TRUE(storage->migrate().ok());
    }
    {
        RawDatabase raw(databasePath());
        raw.rows(
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (9999, 'from the future', 0)");
    }
    auto storage = open(databasePath());
    const sdk::Status status = storage->migrate();
    EXPECT_EQ(status.code(), sdk::StatusCode::FailedPrecondition);
    EXPECT_NE(status.message().find("9999"), std::string::npos) << status.message();
}

TEST_F(SqliteBackendTest, UpgradingAVersionOneDatabaseKeepsItsAccounts) {
    seedVersionOneDatabase(
        "INSERT INTO accounts VALUES ('acct_old', 'team', 'old', 'chatgpt-1', 'plus', "
        "'active', '', 1, "
        "x'00', 1, x'01', 1, x'', 0, 0, 1, 0, 5, 6);");
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    auto kept = storage->accounts().get("acct_old");
    ASSERT_TRUE(kept.ok()) << kept.status().message();
    EXPECT_EQ(kept->label, "old");
    EXPECT_EQ(kept->chatgpt_user_id, "");
    EXPECT_TRUE(kept->labels.empty());
    // A second seat of that workspace can now be added.
    sdk::AccountRecord seat = account("acct_new", "y");
    seat.chatgpt_account_id = "chatgpt-1";
    seat.chatgpt_user_id = "user-2";
    EXPECT_TRUE(storage->accounts().create(seat).ok());
}

TEST_F(SqliteBackendTest, RequestLogRowsFromBeforeMethodAndRoutePathReadBackWithBothEmpty) {
    seedVersionOneDatabase(
        "INSERT INTO request_logs VALUES ('req_old', 5, 'team', 'sk-a', 'gpt-5', "
        "'codex.responses', "
        "'responses', 'acct_1', 'one', 200, '', 1, 1, 0, 2, 0, 10, 5, '{}');");
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    auto kept = storage->requestLogs().get("req_old");
    ASSERT_TRUE(kept.ok()) << kept.status().message();
    EXPECT_EQ(kept->route, "codex.responses");
    EXPECT_EQ(kept->method, "");
    EXPECT_EQ(kept->route_path, "");
}

TEST_F(SqliteBackendTest, StatusesAreStoredAsWords) {
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    sdk::AccountRecord record = account("acct_1", "x");
    record.status = sdk::AccountStatus::ReauthRequired;
    ASSERT_TRUE(storage->accounts().create(record).ok());

    RawDatabase raw(databasePath());
    EXPECT_EQ(raw.scalar("SELECT status FROM accounts"), "reauth_required");
}

/// Writes every exported row into an import, as `sluice storage migrate` does.
class ForwardingSink final : public sdk::StoredRowSink {
public:
    explicit ForwardingSink(sdk::StoredRowImport& import) : import_(import) {}
    sdk::Status table(const sdk::StoredTable& table) noexcept override {
        table_ = table;
        return sdk::Status::success();
    }
    sdk::Status rows(const std::vector<sdk::StoredRow>& rows) noexcept override {
        return import_.rows(table_, rows);
    }

private:
    sdk::StoredRowImport& import_;
    sdk::StoredTable table_;
};

TEST_F(SqliteBackendTest, TheTransferTablesHoldEveryColumnOfEveryTable) {
    auto storage = open(databasePath());
    ASSERT_TRUE(storage->migrate().ok());
    RawDatabase raw(databasePath());
    std::set<std::string> expected;
    for (const auto& table : common::transferTables()) {
        for (const auto& column : table.columns) {
            expected.insert(std::string(table.name) + "." + column.name);
        }
    }
    std::set<std::string> stored;
    for (const auto& table : raw.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                      "name NOT IN ('schema_migrations') AND "
                                      "name NOT LIKE 'sqlite_%'")) {
        for (const auto& column :
             raw.rows("SELECT name FROM pragma_table_info('" + table[0] + "')")) {
            stored.insert(table[0] + "." + column[0]);
        }
    }
    EXPECT_EQ(stored, expected) << "a column missing from the transfer tables would be lost by "
                                   "sluice storage migrate";
}

TEST_F(SqliteBackendTest, RowsExportedFromOneDatabaseImportIntoAnotherUnchanged) {
    auto from = open(databasePath());
    ASSERT_TRUE(from->migrate().ok());
    ASSERT_TRUE(from->accounts().create(account("acct_1", std::string("\0\xff\x01", 3))).ok());
    auto& wallets = dynamic_cast<sdk::StoresWallets&>(*from).wallets();
    ASSERT_TRUE(wallets.createCustomer({"cus_1", "ada", {}}).ok());
    ASSERT_TRUE(wallets.createWallet({"wal_1", "cus_1", 500, {}, {}}).ok());
    auto to = open(directory_.path() / "copy.db");
    ASSERT_TRUE(to->migrate().ok());

    auto import = dynamic_cast<sdk::StorageTransfer&>(*to).beginImport(false);
    ASSERT_TRUE(import.ok()) << import.status().message();
    ForwardingSink sink(*import.value());
    const sdk::Status exported = dynamic_cast<sdk::StorageTransfer&>(*from).exportRows(sink);
    ASSERT_TRUE(exported.ok()) << exported.message();
    // Another connection sees nothing before the commit.
    RawDatabase raw(directory_.path() / "copy.db");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM accounts"), "0");
    ASSERT_TRUE(import.value()->commit().ok());

    const auto copied = to->accounts().get("acct_1");
    ASSERT_TRUE(copied.ok());
    EXPECT_EQ(copied->access_token.key_version, 4u);
    EXPECT_EQ(copied->access_token.ciphertext, std::string("\0\xff\x01", 3));
    EXPECT_EQ(
        dynamic_cast<sdk::StoresWallets&>(*to).wallets().getWallet("wal_1")->balance_micro_usd,
        500);
}

}  // namespace
}  // namespace sluice::plugins::storage_sqlite
