#include "core/billing/charge_journal.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::core::billing {
namespace {

UsageRecord record(const std::string& key) {
    UsageRecord made;
    made.idempotency_key = key;
    made.wallet_id = "wal_1";
    made.key_prefix = "sk-ada";
    made.model = "gpt-5.5";
    made.conversation_key = "thread\t\"1\"";
    made.surface = "anthropic";
    made.usage = {2'500, 1'000, 300};
    made.at_ms = 1'700'000;
    return made;
}

std::string contents(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class ChargeJournalTest : public ::testing::Test {
protected:
    sdk::testing::TempDirectory dir_;
    std::filesystem::path path_ = dir_.path() / "var" / "charges.journal";
};

TEST_F(ChargeJournalTest, RecordsReadBackOnceInOrderWithEveryField) {
    ChargeJournal journal(path_);
    ASSERT_TRUE(journal.append(record("resp_1")));
    ASSERT_TRUE(journal.append(record("resp_2")));
    const auto read = journal.readNew();
    ASSERT_EQ(read.size(), 2u);
    EXPECT_EQ(read[0].idempotency_key, "resp_1");
    EXPECT_EQ(read[1].idempotency_key, "resp_2");
    EXPECT_EQ(read[0].wallet_id, "wal_1");
    EXPECT_EQ(read[0].key_prefix, "sk-ada");
    EXPECT_EQ(read[0].model, "gpt-5.5");
    EXPECT_EQ(read[0].conversation_key, "thread\t\"1\"");
    EXPECT_EQ(read[0].surface, "anthropic");
    EXPECT_EQ(read[0].usage.input_tokens, 2'500u);
    EXPECT_EQ(read[0].usage.cached_input_tokens, 1'000u);
    EXPECT_EQ(read[0].usage.output_tokens, 300u);
    EXPECT_EQ(read[0].at_ms, 1'700'000);
    EXPECT_TRUE(journal.readNew().empty());
}

TEST_F(ChargeJournalTest, WhatWasNotCompactedIsThereAfterAReopen) {
    {
        ChargeJournal journal(path_);
        ASSERT_TRUE(journal.append(record("resp_1")));
        EXPECT_EQ(journal.readNew().size(), 1u);  // read, then the process dies before compact
    }
    ChargeJournal reopened(path_);
    const auto read = reopened.readNew();
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].idempotency_key, "resp_1");
}

TEST_F(ChargeJournalTest, CompactEmptiesTheFileOnlyWhenEverythingWasRead) {
    ChargeJournal journal(path_);
    ASSERT_TRUE(journal.append(record("resp_1")));
    ASSERT_EQ(journal.readNew().size(), 1u);
    ASSERT_TRUE(journal.append(record("resp_2")));
    journal.compact();  // resp_2 was not read: nothing may go
    EXPECT_NE(contents(path_).find("resp_2"), std::string::npos);
    ASSERT_EQ(journal.readNew().size(), 1u);
    journal.compact();
    EXPECT_TRUE(contents(path_).empty());
    ASSERT_TRUE(journal.append(record("resp_3")));
    const auto read = journal.readNew();
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].idempotency_key, "resp_3");
}

TEST_F(ChargeJournalTest, ATornLastLineIsCutAndADamagedLineSkipped) {
    {
        ChargeJournal journal(path_);
        ASSERT_TRUE(journal.append(record("resp_1")));
    }
    {
        std::ofstream out(path_, std::ios::app | std::ios::binary);
        out << "not json\n{\"key\":\"resp_torn\",\"wal";
    }
    ChargeJournal reopened(path_);
    ASSERT_TRUE(reopened.append(record("resp_2")));
    const auto read = reopened.readNew();
    ASSERT_EQ(read.size(), 2u);
    EXPECT_EQ(read[0].idempotency_key, "resp_1");
    EXPECT_EQ(read[1].idempotency_key, "resp_2");
    EXPECT_EQ(reopened.skipped(), 1u);
}

}  // namespace
}  // namespace sluice::core::billing
