// Conformance: FileRepository and UsageRepository.

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::filesUsageTestsAnchor() {
    return 0;
}

namespace {

FileRecord sampleFile(const std::string& id, const std::string& pool, std::int64_t created_ms,
                      std::int64_t expires_ms) {
    FileRecord file;
    file.id = id;
    file.pool = pool;
    file.account_id = "acct-of-" + id;
    file.filename = id + ".txt";
    file.purpose = "user_data";
    file.bytes = 1234;
    file.created_at = at(created_ms);
    file.expires_at = at(expires_ms);
    return file;
}

UsageBucket bucket(std::int64_t day, const std::string& key, const std::string& model,
                   std::uint64_t requests) {
    UsageBucket usage;
    usage.day = day;
    usage.pool = "team";
    usage.key_prefix = key;
    usage.account_id = "acct_1";
    usage.model = model;
    usage.requests = requests;
    usage.errors = 1;
    usage.input_tokens = 10 * requests;
    usage.cached_input_tokens = 2 * requests;
    usage.output_tokens = 3 * requests;
    usage.reasoning_tokens = requests;
    return usage;
}

}  // namespace

void conformance::expectSame(const FileRecord& actual, const FileRecord& expected) {
    EXPECT_EQ(actual.id, expected.id);
    EXPECT_EQ(actual.pool, expected.pool);
    EXPECT_EQ(actual.account_id, expected.account_id);
    EXPECT_EQ(actual.filename, expected.filename);
    EXPECT_EQ(actual.purpose, expected.purpose);
    EXPECT_EQ(actual.bytes, expected.bytes);
    EXPECT_EQ(actual.created_at, expected.created_at);
    EXPECT_EQ(actual.expires_at, expected.expires_at);
}

namespace {

TEST_P(StorageConformanceTest, FilePutThenGetRoundTripsAndIsScopedToItsPool) {
    const FileRecord file = sampleFile("file_1", "team", 10, 1000);
    ASSERT_TRUE(isOk(storage().files().put(file)));
    auto stored = storage().files().get("team", "file_1", at(20));
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), file);
    EXPECT_TRUE(hasCode(storage().files().get("other", "file_1", at(20)), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, FilePutReplacesAndExpiredFilesAreGone) {
    ASSERT_TRUE(isOk(storage().files().put(sampleFile("file_1", "team", 10, 100))));
    FileRecord moved = sampleFile("file_1", "team", 10, 500);
    moved.account_id = "acct_2";
    ASSERT_TRUE(isOk(storage().files().put(moved)));
    EXPECT_EQ(storage().files().get("team", "file_1", at(200))->account_id, "acct_2");
    EXPECT_TRUE(hasCode(storage().files().get("team", "file_1", at(500)), StatusCode::NotFound));

    ASSERT_TRUE(isOk(storage().files().put(sampleFile("file_2", "team", 10, 50))));
    auto purged = storage().files().purgeExpired(at(100));
    ASSERT_TRUE(isOk(purged));
    EXPECT_EQ(purged.value(), 1U);
}

TEST_P(StorageConformanceTest, FileListIsNewestFirstAndLimited) {
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(isOk(
            storage().files().put(sampleFile("file_" + std::to_string(i), "team", 10 + i, 1000))));
    }
    ASSERT_TRUE(isOk(storage().files().put(sampleFile("file_x", "other", 99, 1000))));
    ASSERT_TRUE(isOk(storage().files().put(sampleFile("file_old", "team", 1, 5))));
    auto listed = storage().files().list("team", at(100), 3);
    ASSERT_TRUE(isOk(listed));
    EXPECT_EQ(collect(listed.value(), &FileRecord::id),
              (std::vector<std::string>{"file_4", "file_3", "file_2"}));
    ASSERT_TRUE(isOk(storage().files().remove("team", "file_4")));
    EXPECT_TRUE(hasCode(storage().files().remove("team", "file_4"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, UsageAddSumsIntoBucketsAndQueryFilters) {
    ASSERT_TRUE(
        isOk(storage().usage().add({bucket(100, "k1", "m", 2), bucket(100, "k2", "m", 1)})));
    ASSERT_TRUE(
        isOk(storage().usage().add({bucket(100, "k1", "m", 3), bucket(101, "k1", "m", 4)})));

    UsageQuery key_one;
    key_one.key_prefix = "k1";
    key_one.from_day = 100;
    key_one.to_day = 101;
    auto buckets = storage().usage().query(key_one);
    ASSERT_TRUE(isOk(buckets));
    ASSERT_EQ(buckets->size(), 2U);
    EXPECT_EQ(buckets->at(0).day, 100);
    EXPECT_EQ(buckets->at(0).requests, 5U);
    EXPECT_EQ(buckets->at(0).errors, 2U);
    EXPECT_EQ(buckets->at(0).input_tokens, 50U);
    EXPECT_EQ(buckets->at(0).cached_input_tokens, 10U);
    EXPECT_EQ(buckets->at(0).output_tokens, 15U);
    EXPECT_EQ(buckets->at(0).reasoning_tokens, 5U);
    EXPECT_EQ(buckets->at(1).requests, 4U);

    UsageQuery one_day;
    one_day.from_day = 101;
    one_day.to_day = 101;
    EXPECT_EQ(storage().usage().query(one_day)->size(), 1U);

    UsageQuery everything;
    everything.from_day = 0;
    everything.to_day = 1000;
    EXPECT_EQ(storage().usage().query(everything)->size(), 3U);
}

}  // namespace
}  // namespace sluice::sdk::testing
