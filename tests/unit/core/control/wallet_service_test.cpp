#include "core/control/wallet_service.hpp"

#include <gtest/gtest.h>

#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::control {
namespace {

/// Moves a millisecond each time it is read, so audit events and transactions order by time.
class TickingClock final : public sdk::Clock {
public:
    std::chrono::system_clock::time_point now() const noexcept override {
        clock_.advance(std::chrono::milliseconds(1));
        return clock_.now();
    }
    std::chrono::steady_clock::time_point steadyNow() const noexcept override {
        return clock_.steadyNow();
    }

private:
    mutable sdk::testing::FakeClock clock_;
};

class WalletServiceTest : public ::testing::Test {
protected:
    WalletServiceTest() {
        for (const char* prefix : {"sk-sluice-aaaa", "sk-sluice-bbbb"}) {
            sdk::ApiKeyRecord key;
            key.prefix = prefix;
            key.hash = std::string("hash-") + prefix;
            key.pool = "team";
            key.name = "test";
            EXPECT_TRUE(storage_.apiKeys().create(key).ok());
        }
    }

    sdk::WalletRepository& wallets() { return storage_.wallets(); }

    std::vector<sdk::AuditRecord> audit() {
        sdk::AuditQuery query;
        query.limit = 100;
        return storage_.audit().query(query)->items;  // newest first
    }

    /// The newest audit event, which must name `action` and end in `outcome`.
    void expectAudited(const std::string& action, const std::string& outcome) {
        const auto events = audit();
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.front().action, action);
        EXPECT_EQ(events.front().outcome, outcome);
        EXPECT_EQ(events.front().actor, "cli");
    }

    TickingClock clock_;
    plugins::storage_memory::MemoryBackend storage_;
    security::SecretBox secrets_{{{1, std::string(32, 'k')}}, 1};
    int wallet_changes_ = 0;
    ControlContext context_{storage_, [] { return std::shared_ptr<const config::Pipeline>(); },
                            secrets_, clock_,
                            nullptr,  [this] { ++wallet_changes_; }};
    WalletService service_{context_};
};

TEST_F(WalletServiceTest, ACustomerIsCreatedWithAnEmptyWalletAndListedOnce) {
    const auto created = service_.createCustomer("ada", "cli");
    ASSERT_TRUE(created.ok()) << created.status().message();
    EXPECT_EQ(created->wallet.customer_id, created->customer.id);
    EXPECT_EQ(created->wallet.balance_micro_usd, 0);
    expectAudited("customer.create", "success");

    const auto again = service_.createCustomer("ada", "cli");
    EXPECT_EQ(again.status().code(), sdk::StatusCode::AlreadyExists);
    expectAudited("customer.create", "failure");
    EXPECT_EQ(service_.createCustomer("", "cli").status().code(), sdk::StatusCode::InvalidArgument);

    const auto listed = service_.listCustomers();
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().wallet.id, created->wallet.id);
}

TEST_F(WalletServiceTest, CreditsAndDebitsMoveTheBalanceExactlyAndADebitNeverGoesBelowZero) {
    ASSERT_TRUE(service_.createCustomer("ada", "cli").ok());
    const auto credit =
        service_.adjust("ada", sdk::WalletEntryKind::Credit, "10.25", "prepaid", "cli");
    ASSERT_TRUE(credit.ok()) << credit.status().message();
    EXPECT_EQ(credit->balance_after, 10'250'000);
    expectAudited("wallet.credit", "success");

    const auto debit =
        service_.adjust("ada", sdk::WalletEntryKind::Debit, "0.000001", "refund", "cli");
    ASSERT_TRUE(debit.ok());
    EXPECT_EQ(debit->amount_micro_usd, -1);
    EXPECT_EQ(debit->balance_after, 10'249'999);

    const auto overdraw =
        service_.adjust("ada", sdk::WalletEntryKind::Debit, "10.25", "too much", "cli");
    EXPECT_EQ(overdraw.status().code(), sdk::StatusCode::FailedPrecondition);
    expectAudited("wallet.debit", "failure");

    for (const char* bad : {"-5", "1e3", "0", "0.0000001", "ten"}) {
        EXPECT_EQ(
            service_.adjust("ada", sdk::WalletEntryKind::Credit, bad, "x", "cli").status().code(),
            sdk::StatusCode::InvalidArgument)
            << bad;
    }
    EXPECT_EQ(service_.adjust("ada", sdk::WalletEntryKind::Credit, "1", "", "cli").status().code(),
              sdk::StatusCode::InvalidArgument);
    EXPECT_EQ(service_.adjust("bob", sdk::WalletEntryKind::Credit, "1", "x", "cli").status().code(),
              sdk::StatusCode::NotFound);

    const auto statement = service_.statement("ada", 10);
    ASSERT_TRUE(statement.ok());
    EXPECT_EQ(statement->owner.wallet.balance_micro_usd, 10'249'999);
    ASSERT_EQ(statement->transactions.size(), 2u);
    EXPECT_EQ(statement->transactions.front().reason, "refund");
    EXPECT_EQ(service_.statement("bob", 10).status().code(), sdk::StatusCode::NotFound);
}

TEST_F(WalletServiceTest, AKeyIsChargedToOneCustomerAndOnlyItsCustomerCanUnlinkIt) {
    const auto ada = service_.createCustomer("ada", "cli");
    ASSERT_TRUE(ada.ok());
    ASSERT_TRUE(service_.createCustomer("bob", "cli").ok());

    ASSERT_TRUE(service_.linkKey("ada", "sk-sluice-aaaa", "cli").ok());
    expectAudited("wallet.link_key", "success");
    EXPECT_TRUE(service_.linkKey("ada", "sk-sluice-aaaa", "cli").ok())
        << "linking again is a no-op";

    EXPECT_EQ(service_.linkKey("bob", "sk-sluice-aaaa", "cli").code(),
              sdk::StatusCode::FailedPrecondition);
    expectAudited("wallet.link_key", "failure");
    EXPECT_EQ(service_.unlinkKey("bob", "sk-sluice-aaaa", "cli").code(),
              sdk::StatusCode::FailedPrecondition);
    expectAudited("wallet.unlink_key", "failure");
    EXPECT_EQ(service_.linkKey("ada", "sk-sluice-none", "cli").code(), sdk::StatusCode::NotFound);
    EXPECT_EQ(service_.linkKey("carol", "sk-sluice-bbbb", "cli").code(), sdk::StatusCode::NotFound);

    const auto links = wallets().listKeyLinks();
    ASSERT_TRUE(links.ok());
    ASSERT_EQ(links->size(), 1u);
    EXPECT_EQ(links->front().wallet_id, ada->wallet.id);

    ASSERT_TRUE(service_.unlinkKey("ada", "sk-sluice-aaaa", "cli").ok());
    expectAudited("wallet.unlink_key", "success");
    EXPECT_TRUE(wallets().listKeyLinks()->empty());
    EXPECT_EQ(service_.unlinkKey("ada", "sk-sluice-aaaa", "cli").code(),
              sdk::StatusCode::FailedPrecondition);
}

TEST_F(WalletServiceTest, RateCardsAreParsedExactlyAndEachSetIsTheModelsNextVersion) {
    const auto first = service_.setRateCard("gpt-5.5", {"1.25", "0.125", "10", "0.0001"}, "cli");
    ASSERT_TRUE(first.ok()) << first.status().message();
    EXPECT_EQ(first->version, 1u);
    EXPECT_EQ(first->input_per_million, 1'250'000);
    EXPECT_EQ(first->cached_input_per_million, 125'000);
    EXPECT_EQ(first->output_per_million, 10'000'000);
    EXPECT_EQ(first->per_call, 100);
    expectAudited("rate_card.set", "success");

    const auto second = service_.setRateCard("gpt-5.5", {"2", "0.2", "12", "0"}, "cli");
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->version, 2u);
    ASSERT_TRUE(service_.setRateCard("*", {"1", "0.1", "8", "0"}, "cli").ok());

    const auto bad = service_.setRateCard("gpt-5.5", {"2", "0.2", "-12", "0"}, "cli");
    EXPECT_EQ(bad.status().code(), sdk::StatusCode::InvalidArgument);
    EXPECT_NE(bad.status().message().find("output"), std::string::npos);
    expectAudited("rate_card.set", "failure");
    EXPECT_EQ(service_.setRateCard("", {"1", "1", "1", "0"}, "cli").status().code(),
              sdk::StatusCode::InvalidArgument);

    const auto cards = service_.listRateCards();
    ASSERT_TRUE(cards.ok());
    ASSERT_EQ(cards->size(), 3u);
}

TEST_F(WalletServiceTest, AdjustPercentWritesTheNextVersionOfEveryModelsCardRoundedHalvesUp) {
    EXPECT_EQ(service_.adjustRateCards("10", "cli").status().code(),
              sdk::StatusCode::FailedPrecondition)
        << "no card to adjust";
    expectAudited("rate_card.adjust_percent", "failure");
    ASSERT_TRUE(service_.setRateCard("gpt-5.5", {"1", "0.1", "8", "0"}, "cli").ok());
    ASSERT_TRUE(service_.setRateCard("gpt-5.5", {"2", "0.2", "15", "0.000005"}, "cli").ok());
    ASSERT_TRUE(service_.setRateCard("*", {"0.000003", "0", "1", "0"}, "cli").ok());
    const int changes_before = wallet_changes_;

    const auto adjusted = service_.adjustRateCards("+10", "cli");
    ASSERT_TRUE(adjusted.ok()) << adjusted.status().message();
    ASSERT_EQ(adjusted->size(), 2u);
    const sdk::RateCardRecord& all = adjusted.value()[0];
    const sdk::RateCardRecord& gpt = adjusted.value()[1];
    EXPECT_EQ(all.model, "*");
    EXPECT_EQ(all.version, 2u);
    EXPECT_EQ(all.input_per_million, 3) << "3.3 rounds down";
    EXPECT_EQ(all.output_per_million, 1'100'000);
    EXPECT_EQ(gpt.model, "gpt-5.5");
    EXPECT_EQ(gpt.version, 3u) << "from the newest version, not the first";
    EXPECT_EQ(gpt.input_per_million, 2'200'000);
    EXPECT_EQ(gpt.cached_input_per_million, 220'000);
    EXPECT_EQ(gpt.output_per_million, 16'500'000);
    EXPECT_EQ(gpt.per_call, 6) << "5.5 rounds up";
    expectAudited("rate_card.adjust_percent", "success");
    EXPECT_EQ(wallet_changes_, changes_before + 1) << "the gateway's book is told at once";

    const auto cut = service_.adjustRateCards("-12.5", "cli");
    ASSERT_TRUE(cut.ok());
    EXPECT_EQ(cut.value()[1].output_per_million, 14'437'500);
    EXPECT_EQ(cut.value()[1].version, 4u);

    for (const char* bad : {"ten", "0.001", "-101", "1000.5", ""}) {
        const auto refused = service_.adjustRateCards(bad, "cli");
        EXPECT_EQ(refused.status().code(), sdk::StatusCode::InvalidArgument) << bad;
        expectAudited("rate_card.adjust_percent", "failure");
    }
    EXPECT_EQ(service_.listRateCards()->size(), 7u) << "a refusal stores nothing";
}

TEST_F(WalletServiceTest, BalanceLinkAndCardChangesTellTheGatewaysBookAndRefusalsDoNot) {
    ASSERT_TRUE(service_.createCustomer("ada", "cli").ok());
    ASSERT_TRUE(service_.linkKey("ada", "sk-sluice-aaaa", "cli").ok());
    EXPECT_EQ(wallet_changes_, 1);
    ASSERT_TRUE(service_.adjust("ada", sdk::WalletEntryKind::Credit, "5", "prepaid", "cli").ok());
    EXPECT_EQ(wallet_changes_, 2);
    EXPECT_FALSE(service_.adjust("ada", sdk::WalletEntryKind::Debit, "6", "too much", "cli").ok());
    EXPECT_EQ(wallet_changes_, 2);
    ASSERT_TRUE(service_.setRateCard("*", {"1", "0.1", "8", "0"}, "cli").ok());
    ASSERT_TRUE(service_.unlinkKey("ada", "sk-sluice-aaaa", "cli").ok());
    EXPECT_EQ(wallet_changes_, 4);
}

}  // namespace
}  // namespace sluice::core::control
