// Conformance: WalletRepository, for backends that keep wallets (sdk::StoresWallets).

#include "sluice/sdk/storage_wallets.hpp"
#include "sluice/sdk/testing/storage_conformance.hpp"
#include "storage_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace conformance;

int conformance::walletTestsAnchor() {
    return 0;
}

namespace {

/// The backend's wallets, or nullptr when it keeps none (the tests then skip).
WalletRepository* walletsOf(StorageBackend& storage) {
    auto* stores = dynamic_cast<StoresWallets*>(&storage);
    return stores == nullptr ? nullptr : &stores->wallets();
}

#define SLUICE_REQUIRE_WALLETS(repo)                                \
    WalletRepository* repo = walletsOf(storage());                  \
    if ((repo) == nullptr) {                                        \
        GTEST_SKIP() << "this backend keeps no wallets (optional)"; \
    }

/// A customer "ada" with wallet "wal_1" holding `balance` micro-USD.
void seedWallet(WalletRepository& wallets, std::int64_t balance) {
    ASSERT_TRUE(isOk(wallets.createCustomer({"cus_1", "ada", at(10)})));
    ASSERT_TRUE(isOk(wallets.createWallet({"wal_1", "cus_1", balance, at(20), at(20)})));
}

WalletCharge sampleCharge(const std::string& key, std::int64_t cost, std::int64_t at_ms) {
    WalletCharge charge;
    charge.transaction_id = "wtx_" + key;
    charge.idempotency_key = key;
    charge.wallet_id = "wal_1";
    charge.key_prefix = "sk-ada";
    charge.model = "gpt-5.5";
    charge.rate_card_version = 2;
    charge.conversation_key = "thread-1";
    charge.reported_input_tokens = 2500;
    charge.input_tokens = 1500;
    charge.cached_input_tokens = 100;
    charge.output_tokens = 300;
    charge.cost_micro_usd = cost;
    charge.created_at = at(at_ms);
    return charge;
}

TEST_P(StorageConformanceTest, WalletCustomersAreUniqueByIdAndUsername) {
    SLUICE_REQUIRE_WALLETS(wallets);
    ASSERT_TRUE(isOk(wallets->createCustomer({"cus_2", "zed", at(1)})));
    ASSERT_TRUE(isOk(wallets->createCustomer({"cus_1", "ada", at(2)})));
    EXPECT_TRUE(
        hasCode(wallets->createCustomer({"cus_1", "bob", at(3)}), StatusCode::AlreadyExists));
    EXPECT_TRUE(
        hasCode(wallets->createCustomer({"cus_3", "ada", at(3)}), StatusCode::AlreadyExists));
    auto listed = wallets->listCustomers();
    ASSERT_TRUE(isOk(listed));
    EXPECT_EQ(collect(listed.value(), &CustomerRecord::username),
              (std::vector<std::string>{"ada", "zed"}));
    auto got = wallets->getCustomer("cus_2");
    ASSERT_TRUE(isOk(got));
    EXPECT_EQ(got->username, "zed");
    EXPECT_EQ(got->created_at, at(1));
    EXPECT_TRUE(hasCode(wallets->getCustomer("cus_9"), StatusCode::NotFound));
}

TEST_P(StorageConformanceTest, WalletNeedsAKnownCustomerAndANonNegativeBalance) {
    SLUICE_REQUIRE_WALLETS(wallets);
    EXPECT_TRUE(
        hasCode(wallets->createWallet({"wal_1", "cus_1", 0, at(1), at(1)}), StatusCode::NotFound));
    seedWallet(*wallets, 5'000'000);
    EXPECT_TRUE(hasCode(wallets->createWallet({"wal_1", "cus_1", 0, at(1), at(1)}),
                        StatusCode::AlreadyExists));
    EXPECT_TRUE(hasCode(wallets->createWallet({"wal_2", "cus_1", -1, at(1), at(1)}),
                        StatusCode::InvalidArgument));
    auto wallet = wallets->getWallet("wal_1");
    ASSERT_TRUE(isOk(wallet));
    EXPECT_EQ(wallet->customer_id, "cus_1");
    EXPECT_EQ(wallet->balance_micro_usd, 5'000'000);
    auto listed = wallets->listWallets(std::string_view("cus_1"));
    ASSERT_TRUE(isOk(listed));
    EXPECT_EQ(collect(listed.value(), &WalletRecord::id), (std::vector<std::string>{"wal_1"}));
    auto none = wallets->listWallets(std::string_view("cus_9"));
    ASSERT_TRUE(isOk(none));
    EXPECT_TRUE(none->empty());
}

TEST_P(StorageConformanceTest, WalletKeyLinksRelinkAndUnlink) {
    SLUICE_REQUIRE_WALLETS(wallets);
    seedWallet(*wallets, 0);
    ASSERT_TRUE(isOk(wallets->createWallet({"wal_2", "cus_1", 0, at(30), at(30)})));
    EXPECT_TRUE(hasCode(wallets->linkKey({"sk-a", "wal_9"}), StatusCode::NotFound));
    ASSERT_TRUE(isOk(wallets->linkKey({"sk-b", "wal_1"})));
    ASSERT_TRUE(isOk(wallets->linkKey({"sk-a", "wal_1"})));
    ASSERT_TRUE(isOk(wallets->linkKey({"sk-a", "wal_2"})));
    auto links = wallets->listKeyLinks();
    ASSERT_TRUE(isOk(links));
    ASSERT_EQ(links->size(), 2u);
    EXPECT_EQ(links.value()[0].key_prefix, "sk-a");
    EXPECT_EQ(links.value()[0].wallet_id, "wal_2");
    EXPECT_EQ(links.value()[1].key_prefix, "sk-b");
    ASSERT_TRUE(isOk(wallets->unlinkKey("sk-a")));
    EXPECT_TRUE(hasCode(wallets->unlinkKey("sk-a"), StatusCode::NotFound));
    EXPECT_EQ(wallets->listKeyLinks()->size(), 1u);
}

TEST_P(StorageConformanceTest, RateCardsAreVersionedPerModel) {
    SLUICE_REQUIRE_WALLETS(wallets);
    ASSERT_TRUE(
        isOk(wallets->addRateCard({"gpt-5.5", 1, 2'000'000, 200'000, 15'000'000, 0, at(1)})));
    ASSERT_TRUE(
        isOk(wallets->addRateCard({"gpt-5.5", 2, 5'000'000, 500'000, 25'000'000, 10, at(2)})));
    ASSERT_TRUE(isOk(wallets->addRateCard({"*", 1, 1, 1, 1, 1, at(3)})));
    EXPECT_TRUE(hasCode(wallets->addRateCard({"gpt-5.5", 2, 1, 1, 1, 1, at(4)}),
                        StatusCode::AlreadyExists));
    EXPECT_TRUE(hasCode(wallets->addRateCard({"gpt-5.5", 0, 1, 1, 1, 1, at(4)}),
                        StatusCode::InvalidArgument));
    EXPECT_TRUE(hasCode(wallets->addRateCard({"gpt-5.5", 3, -1, 1, 1, 1, at(4)}),
                        StatusCode::InvalidArgument));
    auto cards = wallets->listRateCards();
    ASSERT_TRUE(isOk(cards));
    ASSERT_EQ(cards->size(), 3u);
    EXPECT_EQ(cards.value()[0].model, "*");
    const RateCardRecord& second = cards.value()[2];
    EXPECT_EQ(second.model, "gpt-5.5");
    EXPECT_EQ(second.version, 2u);
    EXPECT_EQ(second.input_per_million, 5'000'000);
    EXPECT_EQ(second.cached_input_per_million, 500'000);
    EXPECT_EQ(second.output_per_million, 25'000'000);
    EXPECT_EQ(second.per_call, 10);
    EXPECT_EQ(second.created_at, at(2));
}

TEST_P(StorageConformanceTest, WalletChargeBooksOnceAndKeepsTheBaseline) {
    SLUICE_REQUIRE_WALLETS(wallets);
    seedWallet(*wallets, 1'000'000);
    auto booked = wallets->charge(sampleCharge("resp_1", 7'500, 100));
    ASSERT_TRUE(isOk(booked));
    EXPECT_EQ(booked->kind, WalletEntryKind::Charge);
    EXPECT_EQ(booked->amount_micro_usd, -7'500);
    EXPECT_EQ(booked->balance_after, 992'500);
    EXPECT_TRUE(
        hasCode(wallets->charge(sampleCharge("resp_1", 7'500, 200)), StatusCode::AlreadyExists));
    EXPECT_EQ(wallets->getWallet("wal_1")->balance_micro_usd, 992'500);
    auto baseline = wallets->conversationBaseline("wal_1", "thread-1");
    ASSERT_TRUE(isOk(baseline));
    EXPECT_EQ(baseline.value(), 2500u);
    EXPECT_EQ(wallets->conversationBaseline("wal_1", "thread-2").value(), 0u);
    EXPECT_EQ(wallets->conversationBaseline("wal_2", "thread-1").value(), 0u);
    EXPECT_TRUE(hasCode(wallets->charge([] {
        WalletCharge unknown = sampleCharge("resp_2", 1, 300);
        unknown.wallet_id = "wal_9";
        return unknown;
    }()),
                        StatusCode::NotFound));
    auto history = wallets->transactions("wal_1", 10);
    ASSERT_TRUE(isOk(history));
    ASSERT_EQ(history->size(), 1u);
    const WalletTransactionRecord& entry = history.value()[0];
    EXPECT_EQ(entry.id, "wtx_resp_1");
    EXPECT_EQ(entry.idempotency_key, "resp_1");
    EXPECT_EQ(entry.key_prefix, "sk-ada");
    EXPECT_EQ(entry.model, "gpt-5.5");
    EXPECT_EQ(entry.rate_card_version, 2u);
    EXPECT_EQ(entry.input_tokens, 1500u);
    EXPECT_EQ(entry.cached_input_tokens, 100u);
    EXPECT_EQ(entry.output_tokens, 300u);
    EXPECT_EQ(entry.cost_micro_usd, 7'500);
    EXPECT_EQ(entry.balance_after, 992'500);
    EXPECT_EQ(entry.created_at, at(100));
}

TEST_P(StorageConformanceTest, WalletChargeDrainsToZeroNeverBelow) {
    SLUICE_REQUIRE_WALLETS(wallets);
    seedWallet(*wallets, 4'000);
    auto drained = wallets->charge(sampleCharge("resp_1", 9'000, 100));
    ASSERT_TRUE(isOk(drained));
    EXPECT_EQ(drained->amount_micro_usd, -4'000);
    EXPECT_EQ(drained->cost_micro_usd, 9'000);
    EXPECT_EQ(drained->balance_after, 0);
    auto empty = wallets->charge(sampleCharge("resp_2", 500, 200));
    ASSERT_TRUE(isOk(empty));
    EXPECT_EQ(empty->amount_micro_usd, 0);
    EXPECT_EQ(wallets->getWallet("wal_1")->balance_micro_usd, 0);
}

TEST_P(StorageConformanceTest, WalletAdjustCreditsAndDebitsWithAReason) {
    SLUICE_REQUIRE_WALLETS(wallets);
    seedWallet(*wallets, 0);
    WalletTransactionRecord credit;
    credit.id = "wtx_c";
    credit.wallet_id = "wal_1";
    credit.idempotency_key = "evt_1";
    credit.amount_micro_usd = 10'000'000;
    credit.reason = "top-up";
    credit.created_at = at(50);
    auto credited = wallets->adjust(credit);
    ASSERT_TRUE(isOk(credited));
    EXPECT_EQ(credited->kind, WalletEntryKind::Credit);
    EXPECT_EQ(credited->balance_after, 10'000'000);
    credit.id = "wtx_c2";
    EXPECT_TRUE(hasCode(wallets->adjust(credit), StatusCode::AlreadyExists));
    WalletTransactionRecord debit = credit;
    debit.id = "wtx_d";
    debit.idempotency_key.clear();
    debit.amount_micro_usd = -10'000'001;
    debit.reason = "refund";
    debit.created_at = at(60);
    EXPECT_TRUE(hasCode(wallets->adjust(debit), StatusCode::FailedPrecondition));
    debit.amount_micro_usd = -4'000'000;
    auto debited = wallets->adjust(debit);
    ASSERT_TRUE(isOk(debited));
    EXPECT_EQ(debited->kind, WalletEntryKind::Debit);
    EXPECT_EQ(debited->balance_after, 6'000'000);
    debit.id = "wtx_d2";  // an empty idempotency key never collides
    debit.created_at = at(70);
    ASSERT_TRUE(isOk(wallets->adjust(debit)));
    auto history = wallets->transactions("wal_1", 2);
    ASSERT_TRUE(isOk(history));
    EXPECT_EQ(collect(history.value(), &WalletTransactionRecord::id),
              (std::vector<std::string>{"wtx_d2", "wtx_d"}));
    EXPECT_EQ(history.value()[1].reason, "refund");
    EXPECT_EQ(wallets->getWallet("wal_1")->balance_micro_usd, 2'000'000);
}

// SDK 2.4: the customers' username-as-bearer switch, off unless turned on.
TEST_P(StorageConformanceTest, AUsernameBearerIsOffUntilTurnedOnForAKnownCustomer) {
    auto* stores = dynamic_cast<StoresCustomerBearers*>(&storage());
    if (stores == nullptr) {
        GTEST_SKIP() << "this backend keeps no username bearer switch (optional)";
    }
    SLUICE_REQUIRE_WALLETS(wallets);
    CustomerBearerRepository& bearers = stores->customerBearers();
    seedWallet(*wallets, 0);
    ASSERT_TRUE(isOk(wallets->createCustomer({"cus_2", "bob", at(11)})));
    auto listed = bearers.usernameBearers();
    ASSERT_TRUE(isOk(listed));
    EXPECT_TRUE(listed->empty()) << "off by default";

    ASSERT_TRUE(isOk(bearers.setUsernameBearer("cus_2", true)));
    ASSERT_TRUE(isOk(bearers.setUsernameBearer("cus_1", true)));
    ASSERT_TRUE(isOk(bearers.setUsernameBearer("cus_1", true))) << "idempotent";
    EXPECT_EQ(bearers.usernameBearers().value(), (std::vector<std::string>{"cus_1", "cus_2"}));

    ASSERT_TRUE(isOk(bearers.setUsernameBearer("cus_2", false)));
    ASSERT_TRUE(isOk(bearers.setUsernameBearer("cus_2", false))) << "idempotent";
    EXPECT_EQ(bearers.usernameBearers().value(), (std::vector<std::string>{"cus_1"}));
    EXPECT_TRUE(hasCode(bearers.setUsernameBearer("cus_9", true), StatusCode::NotFound));
}

}  // namespace

}  // namespace sluice::sdk::testing
