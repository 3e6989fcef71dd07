#include "plugins/storage-postgres/migrations.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sluice::plugins::storage_postgres {
namespace {

TEST(PostgresMigrationsTest, VersionsStartAtOneAndGrowByOne) {
    const auto steps = migrations();
    ASSERT_FALSE(steps.empty());
    std::int64_t expected = 1;
    for (const Migration& migration : steps) {
        EXPECT_EQ(migration.version, expected) << migration.name;
        ++expected;
    }
}

TEST(PostgresMigrationsTest, EveryStepHasADistinctNameAndSomeSql) {
    std::set<std::string> names;
    for (const Migration& migration : migrations()) {
        EXPECT_TRUE(names.insert(migration.name).second) << "repeated: " << migration.name;
        EXPECT_NE(std::string(migration.sql).find_first_not_of(" \n"), std::string::npos)
            << migration.name;
    }
}

TEST(PostgresMigrationsTest, StepsNeverManageTheirOwnTransactionsOrTheLock) {
    // applyMigrations wraps each step in a transaction under the advisory lock; a step that
    // committed by itself would record its version apart from its changes.
    for (const Migration& migration : migrations()) {
        const std::string sql = migration.sql;
        for (const char* word : {"BEGIN", "COMMIT", "ROLLBACK", "pg_advisory"}) {
            EXPECT_EQ(sql.find(word), std::string::npos) << migration.name << " uses " << word;
        }
    }
}

}  // namespace
}  // namespace sluice::plugins::storage_postgres
