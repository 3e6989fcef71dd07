// Conformance: PoolRepository and AccountRepository.

#include <chrono>

#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::poolAccountTestsAnchor() {
    return 0;
}

namespace {

TEST_P(StorageConformanceTest, PoolCreateThenGetReturnsTheSameRecord) {
    PoolRecord pool = samplePool("team", 10);
    pool.strategy = "quota_headroom";
    pool.ring_size = 5;
    pool.sticky_sessions = false;
    pool.updated_at = at(20);
    ASSERT_TRUE(isOk(storage().pools().create(pool)));

    auto stored = storage().pools().get("team");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), pool);
}

TEST_P(StorageConformanceTest, PoolNameIsUnique) {
    ASSERT_TRUE(isOk(storage().pools().create(samplePool("team"))));
    PoolRecord again = samplePool("team");
    again.strategy = "other";
    EXPECT_TRUE(hasCode(storage().pools().create(again), StatusCode::AlreadyExists));

    auto stored = storage().pools().get("team");
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->strategy, "balanced");
}

TEST_P(StorageConformanceTest, PoolMissingIsNotFound) {
    EXPECT_TRUE(hasCode(storage().pools().get("ghost"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().pools().update(samplePool("ghost")), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().pools().remove("ghost"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, PoolListIsOrderedByName) {
    for (const char* name : {"zeta", "alpha", "mid"}) {
        ASSERT_TRUE(isOk(storage().pools().create(samplePool(name))));
    }
    auto pools = storage().pools().list();
    ASSERT_TRUE(isOk(pools));
    EXPECT_EQ(collect(pools.value(), &PoolRecord::name),
              (std::vector<std::string>{"alpha", "mid", "zeta"}));
}

TEST_P(StorageConformanceTest, PoolUpdateReplacesFieldsButKeepsCreationTime) {
    ASSERT_TRUE(isOk(storage().pools().create(samplePool("team", 10))));
    PoolRecord changed = samplePool("team", 99);
    changed.strategy = "round_robin";
    changed.ring_size = 7;
    changed.sticky_sessions = false;
    changed.updated_at = at(50);
    ASSERT_TRUE(isOk(storage().pools().update(changed)));

    auto stored = storage().pools().get("team");
    ASSERT_TRUE(isOk(stored));
    changed.created_at = at(10);
    expectSame(stored.value(), changed);
}

TEST_P(StorageConformanceTest, PoolRemoveDeletesOnlyThatPool) {
    ASSERT_TRUE(isOk(storage().pools().create(samplePool("a"))));
    ASSERT_TRUE(isOk(storage().pools().create(samplePool("b"))));
    ASSERT_TRUE(isOk(storage().pools().remove("a")));

    EXPECT_TRUE(hasCode(storage().pools().get("a"), StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().pools().remove("a"), StatusCode::NotFound));
    auto pools = storage().pools().list();
    ASSERT_TRUE(isOk(pools));
    EXPECT_EQ(collect(pools.value(), &PoolRecord::name), (std::vector<std::string>{"b"}));
}

TEST_P(StorageConformanceTest, TimesAreKeptToTheMillisecond) {
    PoolRecord pool = samplePool("team");
    pool.created_at = at(5) + std::chrono::microseconds(750);
    ASSERT_TRUE(isOk(storage().pools().create(pool)));

    auto stored = storage().pools().get("team");
    ASSERT_TRUE(isOk(stored));
    EXPECT_EQ(stored->created_at, at(5));
}

TEST_P(StorageConformanceTest, AccountCreateThenGetRoundTripsEveryField) {
    AccountRecord account = sampleAccount("acct_1", "team", 10);
    account.status = AccountStatus::RefreshDue;
    account.status_reason = "expires soon";
    account.access_token = binarySecret(7, std::string("\x00\x00", 2));
    account.refresh_token = EncryptedSecret{};
    account.weight = 9;
    account.priority = -4;
    account.updated_at = at(11);
    ASSERT_TRUE(isOk(storage().accounts().create(account)));

    auto stored = storage().accounts().get("acct_1");
    ASSERT_TRUE(isOk(stored));
    expectSame(stored.value(), account);
}

TEST_P(StorageConformanceTest, AccountIdLabelAndSeatAreEachUnique) {
    const AccountRecord first = sampleAccount("acct_1", "team");
    ASSERT_TRUE(isOk(storage().accounts().create(first)));

    AccountRecord same_id = sampleAccount("acct_1", "other");
    EXPECT_TRUE(hasCode(storage().accounts().create(same_id), StatusCode::AlreadyExists));

    AccountRecord same_label = sampleAccount("acct_2", "team");
    same_label.label = first.label;
    EXPECT_TRUE(hasCode(storage().accounts().create(same_label), StatusCode::AlreadyExists));

    AccountRecord same_seat = sampleAccount("acct_3", "team");
    same_seat.chatgpt_account_id = first.chatgpt_account_id;
    same_seat.chatgpt_user_id = first.chatgpt_user_id;
    EXPECT_TRUE(hasCode(storage().accounts().create(same_seat), StatusCode::AlreadyExists));

    // Another seat of the same workspace is another account.
    AccountRecord other_seat = sampleAccount("acct_4", "team");
    other_seat.chatgpt_account_id = first.chatgpt_account_id;
    EXPECT_TRUE(isOk(storage().accounts().create(other_seat)));

    auto accounts = storage().accounts().list(std::nullopt);
    ASSERT_TRUE(isOk(accounts));
    EXPECT_EQ(collect(accounts.value(), &AccountRecord::id),
              (std::vector<std::string>{"acct_1", "acct_4"}));
}

TEST_P(StorageConformanceTest, AccountUpdateReplacesSettingsButNotCredentialsOrStatus) {
    const AccountRecord original = sampleAccount("acct_1", "team");
    ASSERT_TRUE(isOk(storage().accounts().create(original)));
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_2", "team"))));

    AccountRecord changed = original;
    changed.pool = "night";
    changed.label = "renamed";
    changed.plan_type = "team";
    changed.weight = 7;
    changed.priority = 3;
    changed.labels = {{"region", "us"}};
    changed.status = AccountStatus::Paused;
    changed.access_token = binarySecret(9, "ignored");
    changed.updated_at = at(500);
    ASSERT_TRUE(isOk(storage().accounts().update(changed)));

    auto stored = storage().accounts().get("acct_1");
    ASSERT_TRUE(isOk(stored));
    AccountRecord expected = changed;
    expected.status = original.status;
    expected.access_token = original.access_token;
    expectSame(stored.value(), expected);

    AccountRecord clash = changed;
    clash.label = "label-acct_2";
    EXPECT_TRUE(hasCode(storage().accounts().update(clash), StatusCode::AlreadyExists));
    AccountRecord missing = sampleAccount("acct_9", "team");
    EXPECT_TRUE(hasCode(storage().accounts().update(missing), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, AccountMissingIsNotFound) {
    EXPECT_TRUE(hasCode(storage().accounts().get("ghost"), StatusCode::NotFound));
    EXPECT_TRUE(
        hasCode(storage().accounts().updateStatus("ghost", AccountStatus::Paused, "", at(1)),
                StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().accounts().updateCredentials("ghost", AccountCredentials{},
                                                               AccountStatus::Active, at(1)),
                        StatusCode::NotFound));
    EXPECT_TRUE(hasCode(storage().accounts().remove("ghost"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, AccountListIsOrderedByCreationTimeAndFiltersByPool) {
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_c", "x", 30))));
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_a", "y", 10))));
    ASSERT_TRUE(isOk(storage().accounts().create(sampleAccount("acct_b", "x", 20))));

    auto all = storage().accounts().list(std::nullopt);
    ASSERT_TRUE(isOk(all));
    EXPECT_EQ(collect(all.value(), &AccountRecord::id),
              (std::vector<std::string>{"acct_a", "acct_b", "acct_c"}));

    auto in_x = storage().accounts().list(std::string_view("x"));
    ASSERT_TRUE(isOk(in_x));
    EXPECT_EQ(collect(in_x.value(), &AccountRecord::id),
              (std::vector<std::string>{"acct_b", "acct_c"}));

    auto in_none = storage().accounts().list(std::string_view("none"));
    ASSERT_TRUE(isOk(in_none));
    EXPECT_TRUE(in_none->empty());
}

TEST_P(StorageConformanceTest, AccountUpdateStatusChangesOnlyStatusReasonAndTime) {
    AccountRecord account = sampleAccount("acct_1", "team");
    ASSERT_TRUE(isOk(storage().accounts().create(account)));
    ASSERT_TRUE(isOk(storage().accounts().updateStatus("acct_1", AccountStatus::ReauthRequired,
                                                       "refresh token revoked", at(500))));

    auto stored = storage().accounts().get("acct_1");
    ASSERT_TRUE(isOk(stored));
    account.status = AccountStatus::ReauthRequired;
    account.status_reason = "refresh token revoked";
    account.updated_at = at(500);
    expectSame(stored.value(), account);
}

TEST_P(StorageConformanceTest, AccountUpdateCredentialsReplacesTokensAndStatusTogether) {
    AccountRecord account = sampleAccount("acct_1", "team");
    account.status = AccountStatus::Refreshing;
    account.status_reason = "refresh in flight";
    ASSERT_TRUE(isOk(storage().accounts().create(account)));

    AccountCredentials credentials;
    credentials.access_token = binarySecret(3, "new-access");
    credentials.refresh_token = binarySecret(3, "new-refresh");
    credentials.id_token = binarySecret(3, "new-id");
    credentials.access_expires_at = at(7'200'000);
    credentials.last_refresh_at = at(900);
    ASSERT_TRUE(isOk(storage().accounts().updateCredentials("acct_1", credentials,
                                                            AccountStatus::Active, at(901))));

    auto stored = storage().accounts().get("acct_1");
    ASSERT_TRUE(isOk(stored));
    account.access_token = credentials.access_token;
    account.refresh_token = credentials.refresh_token;
    account.id_token = credentials.id_token;
    account.access_expires_at = credentials.access_expires_at;
    account.last_refresh_at = credentials.last_refresh_at;
    account.status = AccountStatus::Active;
    account.status_reason = "";  // a new set of credentials clears the old reason
    account.updated_at = at(901);
    expectSame(stored.value(), account);
}

TEST_P(StorageConformanceTest, AccountRemoveFreesItsIdLabelAndChatgptId) {
    const AccountRecord account = sampleAccount("acct_1", "team");
    ASSERT_TRUE(isOk(storage().accounts().create(account)));
    ASSERT_TRUE(isOk(storage().accounts().remove("acct_1")));
    EXPECT_TRUE(hasCode(storage().accounts().get("acct_1"), StatusCode::NotFound));

    EXPECT_TRUE(isOk(storage().accounts().create(account)));
}

}  // namespace
}  // namespace sluice::sdk::testing
