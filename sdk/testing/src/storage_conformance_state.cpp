// Conformance: QuotaRepository and AffinityRepository.

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::stateTestsAnchor() {
    return 0;
}

namespace {

AffinityRecord affinity(const std::string& key, const std::string& account_id,
                        std::int64_t expires_ms) {
    AffinityRecord record;
    record.key = key;
    record.account_id = account_id;
    record.expires_at = at(expires_ms);
    return record;
}

TEST_P(StorageConformanceTest, QuotaUpsertInsertsThenReplacesByAccountAndWindow) {
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_1", "team"))));
    ASSERT_TRUE(isOk(storage().quotas().upsert(
        {sampleQuota("acct_1", "primary", 10.0), sampleQuota("acct_1", "secondary", 20.0)})));

    QuotaSnapshotRecord newer = sampleQuota("acct_1", "primary", 55.5);
    newer.window_minutes = 10080;
    newer.resets_at = at(99'000);
    newer.observed_at = at(2'000);
    newer.source = "probe";
    ASSERT_TRUE(isOk(storage().quotas().upsert({newer})));

    auto snapshots = storage().quotas().list(std::string_view("acct_1"));
    ASSERT_TRUE(isOk(snapshots));
    ASSERT_EQ(snapshots->size(), 2u);
    expectSame(snapshots.value()[0], newer);
    expectSame(snapshots.value()[1], sampleQuota("acct_1", "secondary", 20.0));
}

TEST_P(StorageConformanceTest, QuotaListFiltersByAccountOrderedByAccountThenWindow) {
    for (const char* id : {"acct_b", "acct_a"}) {
        ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount(id, "team"))));
    }
    ASSERT_TRUE(isOk(storage().quotas().upsert(
        {sampleQuota("acct_b", "secondary", 1), sampleQuota("acct_a", "secondary", 2),
         sampleQuota("acct_b", "primary", 3), sampleQuota("acct_a", "codex.primary", 4)})));

    auto all = storage().quotas().list(std::nullopt);
    ASSERT_TRUE(isOk(all));
    std::vector<std::string> keys;
    for (const QuotaSnapshotRecord& snapshot : all.value()) {
        keys.push_back(snapshot.account_id + "/" + snapshot.window);
    }
    EXPECT_EQ(keys, (std::vector<std::string>{"acct_a/codex.primary", "acct_a/secondary",
                                              "acct_b/primary", "acct_b/secondary"}));

    auto only_b = storage().quotas().list(std::string_view("acct_b"));
    ASSERT_TRUE(isOk(only_b));
    EXPECT_EQ(only_b->size(), 2u);
    auto none = storage().quotas().list(std::string_view("acct_ghost"));
    ASSERT_TRUE(isOk(none));
    EXPECT_TRUE(none->empty());
}

TEST_P(StorageConformanceTest, QuotaUpsertSkipsAccountsThatDoNotExist) {
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_1", "team"))));
    ASSERT_TRUE(isOk(storage().quotas().upsert(
        {sampleQuota("acct_gone", "primary", 5), sampleQuota("acct_1", "primary", 6)})));

    auto all = storage().quotas().list(std::nullopt);
    ASSERT_TRUE(isOk(all));
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ(all.value()[0].account_id, "acct_1");
}

TEST_P(StorageConformanceTest, QuotaSnapshotsGoWithTheirAccount) {
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_1", "team"))));
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_2", "team"))));
    ASSERT_TRUE(isOk(storage().quotas().upsert(
        {sampleQuota("acct_1", "primary", 5), sampleQuota("acct_2", "primary", 6)})));
    ASSERT_TRUE(isOk(storage().accounts().remove("acct_1")));

    auto all = storage().quotas().list(std::nullopt);
    ASSERT_TRUE(isOk(all));
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ(all.value()[0].account_id, "acct_2");
}

TEST_P(StorageConformanceTest, AffinityPutThenGetBeforeExpiry) {
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("k1", "acct_1", 1000))));

    auto stored = storage().affinities().get("k1", at(999));
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->key, "k1");
    EXPECT_EQ(stored->account_id, "acct_1");
    EXPECT_EQ(stored->expires_at, at(1000));
    EXPECT_TRUE(hasCode(storage().affinities().get("ghost", at(0)), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, AffinityPutReplacesByKey) {
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("k1", "acct_1", 1000))));
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("k1", "acct_2", 5000))));

    auto stored = storage().affinities().get("k1", at(2000));
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->account_id, "acct_2");
    EXPECT_EQ(stored->expires_at, at(5000));
}

TEST_P(StorageConformanceTest, AffinityIsNotFoundOnceExpired) {
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("k1", "acct_1", 1000))));
    EXPECT_TRUE(hasCode(storage().affinities().get("k1", at(1000)), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().affinities().get("k1", at(5000)), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, AffinityPurgeRemovesOnlyExpiredRows) {
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("old", "acct_1", 100))));
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("edge", "acct_1", 500))));
    ASSERT_TRUE(isOk(storage().affinities().put(affinity("live", "acct_2", 900))));

    auto purged = storage().affinities().purgeExpired(at(500));
    ASSERT_TRUE(isOk(purged));
    EXPECT_EQ(purged.value(), 2u);
    EXPECT_TRUE(isOk(storage().affinities().get("live", at(500))));

    auto again = storage().affinities().purgeExpired(at(500));
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(again.value(), 0u);

    // Purged rows are gone, not merely hidden: an earlier `now` must not bring them back.
    EXPECT_TRUE(hasCode(storage().affinities().get("old", at(0)), StatusCode::NotFound));
}

}  // namespace
}  // namespace sluice::sdk::testing
