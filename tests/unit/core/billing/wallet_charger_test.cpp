#include "core/billing/wallet_charger.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::core::billing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKey = "sk-sluice-ada";

accounting::SettledRequest settled(const std::string& response_id, std::uint64_t input,
                                   std::uint64_t output, const std::string& conversation = "") {
    accounting::SettledRequest request;
    request.record.id = "req_" + response_id;
    request.record.key_prefix = kKey;
    request.record.model = "gpt-5.5";
    request.record.account_id = "acct_a";
    request.record.status = 200;
    request.record.input_tokens = input;
    request.record.output_tokens = output;
    request.trace.response_id = response_id;
    request.trace.conversation_key = conversation;
    return request;
}

sdk::Principal caller(const std::string& key = kKey) {
    sdk::Principal principal;
    principal.kind = sdk::CredentialKind::PoolKey;
    principal.id = key;
    principal.pool = "team";
    return principal;
}

class WalletChargerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(wallets().createCustomer({"cus_1", "ada", {}}).ok());
        ASSERT_TRUE(
            wallets().addRateCard({"gpt-5.5", 1, 2'000'000, 200'000, 15'000'000, 0, {}}).ok());
        ASSERT_TRUE(wallets().createWallet({"wal_1", "cus_1", 0, {}, {}}).ok());
        ASSERT_TRUE(wallets().linkKey({kKey, "wal_1"}).ok());
    }

    sdk::WalletRepository& wallets() { return storage_.wallets(); }

    void fund(std::int64_t micro) {
        sdk::WalletTransactionRecord credit;
        credit.id = "wtx_fund";
        credit.wallet_id = "wal_1";
        credit.amount_micro_usd = micro;
        credit.reason = "test funds";
        ASSERT_TRUE(wallets().adjust(credit).ok());
    }

    std::unique_ptr<WalletCharger> openCharger() {
        journal_ = std::make_unique<ChargeJournal>(dir_.path() / "charges.journal");
        auto charger = std::make_unique<WalletCharger>(wallets(), *journal_, host_.clock(),
                                                       host_.metrics(), host_.logger("billing"),
                                                       WalletCharger::Options{1ms, 1h});
        EXPECT_TRUE(charger->recover().ok());
        return charger;
    }

    std::int64_t balance() { return wallets().getWallet("wal_1")->balance_micro_usd; }

    std::vector<sdk::WalletTransactionRecord> charges() {
        std::vector<sdk::WalletTransactionRecord> out;
        const auto listed = wallets().transactions("wal_1", 1000);
        for (const auto& entry : listed.value()) {
            if (entry.kind == sdk::WalletEntryKind::Charge) {
                out.push_back(entry);
            }
        }
        return out;
    }

    sdk::testing::FakeHost host_;
    sdk::testing::TempDirectory dir_;
    plugins::storage_memory::MemoryBackend storage_;
    std::unique_ptr<ChargeJournal> journal_;
};

TEST_F(WalletChargerTest, TheSeedsThreeTurnConversationChargesOnlyNewInput) {
    fund(1'000'000);
    auto charger = openCharger();
    charger->charge(settled("resp_1", 1'000, 200, "thread-1"));
    host_.fakeClock().advance(1s);
    charger->charge(settled("resp_2", 2'500, 300, "thread-1"));
    host_.fakeClock().advance(1s);
    charger->charge(settled("resp_3", 4'000, 400, "thread-1"));
    charger->applyPending();
    const auto booked = charges();
    ASSERT_EQ(booked.size(), 3u);  // newest first
    EXPECT_EQ(booked[2].input_tokens, 1'000u);
    EXPECT_EQ(booked[1].input_tokens, 1'500u);
    EXPECT_EQ(booked[0].input_tokens, 1'500u);
    EXPECT_EQ(booked[0].output_tokens, 400u);
    EXPECT_EQ(booked[0].rate_card_version, 1u);
    EXPECT_EQ(booked[0].idempotency_key, "resp_3");
    EXPECT_EQ(balance(), 1'000'000 - 5'000 - 7'500 - 9'000);
    EXPECT_EQ(charger->book().balanceOf("wal_1"), balance());
    EXPECT_EQ(host_.counterValue("sluice_billing_charges_total", {{"outcome", "charged"}}), 3u);
}

TEST_F(WalletChargerTest, AReplayedResponseIdChargesOnce) {
    fund(1'000'000);
    auto charger = openCharger();
    charger->charge(settled("resp_1", 1'000, 200));
    charger->applyPending();
    charger->charge(settled("resp_1", 1'000, 200));
    charger->applyPending();
    EXPECT_EQ(charges().size(), 1u);
    EXPECT_EQ(balance(), 1'000'000 - 5'000);
    EXPECT_EQ(host_.counterValue("sluice_billing_charges_total", {{"outcome", "replayed"}}), 1u);
}

TEST_F(WalletChargerTest, ChargesAreCountedByTheSurfaceThatServedThem) {
    fund(1'000'000);
    auto charger = openCharger();
    auto codex = settled("resp_1", 1'000, 200);
    codex.record.route = "codex.responses";
    auto claude = settled("resp_2", 1'000, 0);
    claude.record.route = "anthropic.messages";
    auto claude_again = settled("resp_3", 0, 200);
    claude_again.record.route = "anthropic.messages";
    charger->charge(codex);
    charger->charge(claude);
    charger->charge(claude_again);
    charger->applyPending();
    const auto count = [&](const char* metric, const char* surface) {
        return host_.counterValue(metric, {{"surface", surface}});
    };
    EXPECT_EQ(count("sluice_billing_surface_charges_total", "codex"), 1u);
    EXPECT_EQ(count("sluice_billing_surface_charges_total", "anthropic"), 2u);
    EXPECT_EQ(count("sluice_billing_charged_micro_usd_total", "codex"), 5'000u);
    EXPECT_EQ(count("sluice_billing_charged_micro_usd_total", "anthropic"), 2'000u + 3'000u);
}

TEST_F(WalletChargerTest, AJournalLineWithoutASurfaceIsBookedAndCountedAsUnknown) {
    fund(1'000'000);
    {
        ChargeJournal older(dir_.path() / "charges.journal");
        UsageRecord record;  // as a gateway before surfaces wrote it: no "surface"
        record.idempotency_key = "resp_old";
        record.wallet_id = "wal_1";
        record.key_prefix = kKey;
        record.model = "gpt-5.5";
        record.usage = {1'000, 0, 200};
        ASSERT_TRUE(older.append(record));
    }
    auto charger = openCharger();
    EXPECT_EQ(charges().size(), 1u);
    EXPECT_EQ(
        host_.counterValue("sluice_billing_charged_micro_usd_total", {{"surface", "unknown"}}),
        5'000u);
}

TEST_F(WalletChargerTest, UnlinkedKeysUnansweredRequestsAndFreeCallsAreNeverCharged) {
    fund(1'000'000);
    auto charger = openCharger();
    auto internal = settled("resp_1", 1'000, 200);
    internal.record.key_prefix = "sk-sluice-team";
    auto refused = settled("resp_2", 0, 0);
    refused.record.account_id.clear();
    auto catalog = settled("resp_3", 0, 0);  // no tokens, and the card has no per-call price
    charger->charge(internal);
    charger->charge(refused);
    charger->charge(catalog);
    charger->applyPending();
    EXPECT_TRUE(charges().empty());
    EXPECT_EQ(balance(), 1'000'000);
    EXPECT_FALSE(charger->refusal(caller("sk-sluice-team")));
}

TEST_F(WalletChargerTest, ACostlierCompletionDrainsToZeroThenThePreflightRefuses) {
    fund(4'000);
    auto charger = openCharger();
    EXPECT_FALSE(charger->refusal(caller()));
    charger->charge(settled("resp_1", 1'000, 200));  // costs 5,000
    charger->applyPending();
    ASSERT_EQ(charges().size(), 1u);
    EXPECT_EQ(charges()[0].amount_micro_usd, -4'000);
    EXPECT_EQ(charges()[0].cost_micro_usd, 5'000);
    EXPECT_EQ(balance(), 0);
    const auto refusal = charger->refusal(caller());
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->http_status, 402);
    EXPECT_EQ(refusal->code, "insufficient_quota");
    EXPECT_EQ(refusal->type, "insufficient_quota");
    sdk::Principal admin = caller();
    admin.kind = sdk::CredentialKind::AdminToken;
    EXPECT_FALSE(charger->refusal(admin));
}

TEST_F(WalletChargerTest, AChargeJournaledBeforeACrashIsBookedOnceAfterRestart) {
    fund(1'000'000);
    // The first process journals the charge and is killed before its applier runs: it is
    // never used again (left idle, as a dead process would be).
    auto crashed = openCharger();
    auto crashed_journal = std::move(journal_);
    crashed->charge(settled("resp_1", 1'000, 200, "thread-1"));
    EXPECT_TRUE(charges().empty());
    auto restarted = openCharger();  // recover() books what the journal holds
    ASSERT_EQ(charges().size(), 1u);
    EXPECT_EQ(balance(), 1'000'000 - 5'000);
    EXPECT_EQ(wallets().conversationBaseline("wal_1", "thread-1").value(), 1'000u);
    restarted.reset();
    auto again = openCharger();
    EXPECT_EQ(charges().size(), 1u);
    crashed.reset();  // even its late shutdown cannot charge twice
    EXPECT_EQ(charges().size(), 1u);
    EXPECT_EQ(balance(), 1'000'000 - 5'000);
}

TEST_F(WalletChargerTest, SixtyFourConcurrentChargesDrainASmallWalletExactly) {
    constexpr std::int64_t kFunds = 100'000;  // pays 20 of the 64 requests at 5,000 each
    fund(kFunds);
    auto charger = openCharger();
    charger->start();
    std::vector<std::thread> threads;
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back(
            [&, i] { charger->charge(settled("resp_" + std::to_string(i), 1'000, 200)); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    charger->stop();
    const auto booked = charges();
    ASSERT_EQ(booked.size(), 64u);
    std::int64_t charged = 0;
    std::set<std::string> keys;
    for (const auto& entry : booked) {
        EXPECT_LE(entry.amount_micro_usd, 0);
        EXPECT_GE(entry.balance_after, 0);
        charged -= entry.amount_micro_usd;
        keys.insert(entry.idempotency_key);
    }
    EXPECT_EQ(keys.size(), 64u);
    EXPECT_EQ(charged, kFunds);
    EXPECT_EQ(balance(), 0);
}

}  // namespace
}  // namespace sluice::core::billing
