#include "sluice/plugins/common/storage_tables.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sluice::plugins::common {
namespace {

const TransferTable& transferTable(const std::string& name) {
    for (const TransferTable& candidate : transferTables()) {
        if (name == candidate.name) {
            return candidate;
        }
    }
    throw std::runtime_error("no table " + name);
}

TEST(StorageTablesTest, EveryTableIsListedOnceAndOrdersByItsOwnColumns) {
    std::set<std::string> names;
    for (const TransferTable& candidate : transferTables()) {
        EXPECT_TRUE(names.insert(candidate.name).second) << candidate.name;
        ASSERT_FALSE(candidate.order.empty()) << candidate.name;
        std::set<std::string> columns;
        for (const TransferColumn& column : candidate.columns) {
            EXPECT_TRUE(columns.insert(column.name).second) << candidate.name << "." << column.name;
        }
        for (const char* key : candidate.order) {
            EXPECT_EQ(columns.count(key), 1u) << candidate.name << " orders by " << key;
        }
    }
    EXPECT_EQ(names.size(), 19u);
}

TEST(StorageTablesTest, ParentsComeBeforeTheTablesThatReferenceThem) {
    const auto position = [](const std::string& name) {
        const auto& tables = transferTables();
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (name == tables[i].name) {
                return i;
            }
        }
        return tables.size();
    };
    EXPECT_LT(position("accounts"), position("quota_snapshots"));
    EXPECT_LT(position("customers"), position("wallets"));
    EXPECT_LT(position("customers"), position("customer_bearers"));
    EXPECT_LT(position("wallets"), position("wallet_key_links"));
    EXPECT_LT(position("wallets"), position("wallet_transactions"));
}

TEST(StorageTablesTest, ExportOrdersTextBytewiseAndKeepsInsertionOrderWhereListsDo) {
    EXPECT_EQ(
        exportSql(transferTable("wallet_key_links"), " COLLATE \"C\"", "seq"),
        "SELECT key_prefix, wallet_id FROM wallet_key_links ORDER BY key_prefix COLLATE \"C\"");
    EXPECT_EQ(exportSql(transferTable("usage_buckets"), "", "rowid")
                  .substr(exportSql(transferTable("usage_buckets"), "", "rowid").find(" ORDER BY")),
              " ORDER BY day, pool, key_prefix, account_id, model");
    const std::string accounts = exportSql(transferTable("accounts"), " COLLATE \"C\"", "seq");
    EXPECT_EQ(accounts.substr(accounts.find(" ORDER BY")), " ORDER BY created_at, seq");
}

TEST(StorageTablesTest, ImportNumbersEveryParameterOfEveryRow) {
    EXPECT_EQ(importSql(transferTable("wallet_key_links"), '$', 2),
              "INSERT INTO wallet_key_links (key_prefix, wallet_id) VALUES ($1, $2), ($3, $4)");
    EXPECT_EQ(importSql(transferTable("customers"), '?', 1),
              "INSERT INTO customers (id, username, created_at) VALUES (?1, ?2, ?3)");
}

TEST(StorageTablesTest, AnImportNamingAnUnknownTableOrOtherColumnsIsRefused) {
    EXPECT_EQ(importedTable({"nonsense", {"a"}}).status().code(), sdk::StatusCode::InvalidArgument);
    EXPECT_EQ(importedTable({"wallet_key_links", {"wallet_id", "key_prefix"}}).status().code(),
              sdk::StatusCode::InvalidArgument);
    const auto found = importedTable(storedTable(transferTable("pools")));
    ASSERT_TRUE(found.ok());
    EXPECT_STREQ(found.value()->name, "pools");
}

TEST(StorageTablesTest, RowsMustFitTheColumnsTypes) {
    const TransferTable& pools = transferTable("pools");
    sdk::StoredRow row{textValue("team"), textValue("rotate"), integerValue(3),
                       integerValue(1),   integerValue(10),    integerValue(20)};
    EXPECT_TRUE(checkRow(pools, row).ok());
    row[2] = textValue("3");
    EXPECT_EQ(checkRow(pools, row).code(), sdk::StatusCode::InvalidArgument);
    row.pop_back();
    EXPECT_EQ(checkRow(pools, row).code(), sdk::StatusCode::InvalidArgument);
    const TransferTable& accounts = transferTable("accounts");
    sdk::StoredRow account;
    for (const TransferColumn& column : accounts.columns) {
        account.push_back(column.type == ColumnType::Bytes ? bytesValue(std::string("\0x", 2))
                                                           : textValue(""));
    }
    EXPECT_EQ(checkRow(accounts, account).code(), sdk::StatusCode::InvalidArgument)
        << "integer columns given text";
}

}  // namespace
}  // namespace sluice::plugins::common
