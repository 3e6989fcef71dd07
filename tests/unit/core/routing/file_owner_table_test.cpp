#include "core/routing/file_owner_table.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "plugins/storage-memory/memory_backend.hpp"

namespace sluice::core::routing {
namespace {

using namespace std::chrono_literals;

const sdk::TimePoint kDayStart = sdk::TimePoint(std::chrono::hours(24 * 20'000));

sdk::FileRecord file(const std::string& pool, const std::string& id, const std::string& account,
                     sdk::TimePoint expires_at = kDayStart + 24h) {
    sdk::FileRecord record;
    record.id = id;
    record.pool = pool;
    record.account_id = account;
    record.created_at = expires_at - 24h;
    record.expires_at = expires_at;
    return record;
}

TEST(FileOwnerTableTest, AnswersTheOwnerOfARecordedFileInItsOwnPoolOnly) {
    FileOwnerTable table;
    table.record(file("team", "file-1", "acct_a"), kDayStart);
    EXPECT_EQ(table.owner("team", "file-1", kDayStart), "acct_a");
    EXPECT_FALSE(table.owner("night", "file-1", kDayStart));
    EXPECT_FALSE(table.owner("team", "file-2", kDayStart));
}

TEST(FileOwnerTableTest, ARecordedFileIsForgottenWhenItExpires) {
    FileOwnerTable table;
    table.record(file("team", "file-1", "acct_a", kDayStart + 1h), kDayStart);
    EXPECT_TRUE(table.owner("team", "file-1", kDayStart + 59min));
    EXPECT_FALSE(table.owner("team", "file-1", kDayStart + 1h));
}

TEST(FileOwnerTableTest, RecordingAgainReplacesTheOwner) {
    FileOwnerTable table;
    table.record(file("team", "file-1", "acct_a"), kDayStart);
    table.record(file("team", "file-1", "acct_b"), kDayStart);
    EXPECT_EQ(table.owner("team", "file-1", kDayStart), "acct_b");
    EXPECT_EQ(table.size(), 1U);
}

TEST(FileOwnerTableTest, ExpiredEntriesAreSweptOnceTheSweepIsDueAndLiveOnesKept) {
    FileOwnerTable table;
    table.record(file("team", "old", "acct_a", kDayStart + 1h), kDayStart);
    table.record(file("team", "live", "acct_a", kDayStart + 48h), kDayStart);
    table.record(file("team", "new", "acct_b"), kDayStart + 2h);
    EXPECT_EQ(table.size(), 2U);
    EXPECT_EQ(table.owner("team", "live", kDayStart + 2h), "acct_a");
    EXPECT_EQ(table.owner("team", "new", kDayStart + 2h), "acct_b");
}

TEST(FileOwnerTableTest, LoadsTheUnexpiredFilesOfEveryPoolFromStorage) {
    plugins::storage_memory::MemoryBackend storage;
    ASSERT_TRUE(storage.files().put(file("team", "file-1", "acct_a")).ok());
    ASSERT_TRUE(storage.files().put(file("night", "file-2", "acct_n")).ok());
    ASSERT_TRUE(storage.files().put(file("team", "gone", "acct_a", kDayStart - 1s)).ok());
    ASSERT_TRUE(storage.files().put(file("removed-pool", "file-3", "acct_r")).ok());

    FileOwnerTable table;
    ASSERT_TRUE(table.load(storage.files(), {"team", "night"}, kDayStart).ok());
    EXPECT_EQ(table.owner("team", "file-1", kDayStart), "acct_a");
    EXPECT_EQ(table.owner("night", "file-2", kDayStart), "acct_n");
    EXPECT_FALSE(table.owner("team", "gone", kDayStart));
    EXPECT_FALSE(table.owner("removed-pool", "file-3", kDayStart));
    EXPECT_EQ(table.size(), 2U);
}

}  // namespace
}  // namespace sluice::core::routing
