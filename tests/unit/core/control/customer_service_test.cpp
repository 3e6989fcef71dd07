#include "core/control/customer_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/accounting/utc_time.hpp"
#include "core/auth/credential_token.hpp"
#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/support/fake_shared_state.hpp"

namespace sluice::core::control {
namespace {

using namespace std::chrono_literals;

class CustomerServiceTest : public ::testing::Test {
protected:
    CustomerServiceTest() {
        EXPECT_TRUE(storage_.pools().create({"team", "rotate", 3, true, {}, {}}).ok());
        for (const char* name : {"ada", "bob"}) {
            EXPECT_TRUE(wallets_.createCustomer(name, "cli").ok());
            auto key = CredentialService(context_).createKey("team", name, "cli");
            EXPECT_TRUE(key.ok());
            EXPECT_TRUE(wallets_.linkKey(name, key->record.prefix, "cli").ok());
            callers_[name] = principal(key->record);
        }
        auto unlinked = CredentialService(context_).createKey("team", "internal", "cli");
        unlinked_ = principal(unlinked->record);
    }

    static sdk::Principal principal(const sdk::ApiKeyRecord& key) {
        return {sdk::CredentialKind::PoolKey, key.prefix, key.name, key.pool, key.policy_json};
    }

    std::vector<sdk::AuditRecord> audit(const std::string& actor) {
        sdk::AuditQuery query;
        query.actor = actor;
        query.limit = 100;
        return storage_.audit().query(query)->items;  // newest first
    }

    void credit(const std::string& customer, const std::string& usd) {
        ASSERT_TRUE(
            wallets_.adjust(customer, sdk::WalletEntryKind::Credit, usd, "test", "cli").ok());
    }

    sdk::testing::FakeClock clock_;
    plugins::storage_memory::MemoryBackend storage_;
    security::SecretBox secrets_{{{1, std::string(32, 'k')}}, 1};
    billing::WalletBook book_;
    ControlContext context_{
        storage_, [] { return std::make_shared<const config::Pipeline>(); },     secrets_, clock_,
        nullptr,  [this] { ASSERT_TRUE(book_.reload(storage_.wallets()).ok()); }};
    WalletService wallets_{context_};
    CustomerService service_{context_, &book_};
    std::map<std::string, sdk::Principal> callers_;
    sdk::Principal unlinked_;
};

TEST_F(CustomerServiceTest, AKeyFindsItsOwnCustomerWalletAndBalance) {
    credit("ada", "2.5");
    const auto account = service_.account(callers_["ada"]);
    ASSERT_TRUE(account.ok()) << account.status().message();
    EXPECT_EQ(account->owner.customer.username, "ada");
    EXPECT_EQ(account->owner.wallet.balance_micro_usd, 2'500'000);
    EXPECT_EQ(account->caller_key, callers_["ada"].id);
    const auto keys = service_.keys(account.value());
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ(keys->front().prefix, callers_["ada"].id);
}

TEST_F(CustomerServiceTest, AnUnlinkedKeyAndAGatewayWithoutBillingAreRefusedTyped) {
    EXPECT_EQ(service_.account(unlinked_).status().code(), sdk::StatusCode::PermissionDenied);
    CustomerService unbilled(context_, nullptr);
    EXPECT_EQ(unbilled.account(callers_["ada"]).status().code(), sdk::StatusCode::Unavailable);
}

TEST_F(CustomerServiceTest, AnIssuedKeyIsLinkedInheritsThePolicyAndIsAuditedAsTheCustomer) {
    sdk::Principal ada = callers_["ada"];
    ada.policy_json = R"({"allowed_models":["gpt-5.5"]})";
    const auto issued = service_.issueKey(ada, "laptop");
    ASSERT_TRUE(issued.ok()) << issued.status().message();
    EXPECT_EQ(issued->record.pool, "team");
    EXPECT_NE(issued->record.policy_json.find("gpt-5.5"), std::string::npos);
    EXPECT_EQ(book_.walletOf(issued->record.prefix), book_.walletOf(ada.id));
    std::vector<std::string> actions;
    for (const auto& event : audit("customer:ada")) {
        actions.push_back(event.action);
        EXPECT_EQ(event.outcome, "success");
    }
    std::sort(actions.begin(), actions.end());
    EXPECT_EQ(actions,
              (std::vector<std::string>{"key.create", "key.set_policy", "wallet.link_key"}));
}

TEST_F(CustomerServiceTest, AKeyIsRevokedOnlyByItsOwnCustomer) {
    const auto issued = service_.issueKey(callers_["ada"], "laptop");
    ASSERT_TRUE(issued.ok());
    EXPECT_EQ(service_.revokeKey(callers_["bob"], issued->record.prefix).code(),
              sdk::StatusCode::NotFound);
    EXPECT_EQ(audit("customer:bob").front().outcome, "failure");
    EXPECT_EQ(storage_.apiKeys().findByPrefix(issued->record.prefix)->status,
              sdk::CredentialStatus::Active);
    ASSERT_TRUE(service_.revokeKey(callers_["ada"], issued->record.prefix).ok());
    EXPECT_EQ(storage_.apiKeys().findByPrefix(issued->record.prefix)->status,
              sdk::CredentialStatus::Revoked);
}

TEST_F(CustomerServiceTest, ACustomerHoldsAtMostTwentyKeysThatAreNotRevoked) {
    for (std::size_t i = 1; i < CustomerService::kMaxActiveKeys; ++i) {
        ASSERT_TRUE(service_.issueKey(callers_["ada"], "k" + std::to_string(i)).ok()) << i;
    }
    const auto refused = service_.issueKey(callers_["ada"], "one too many");
    EXPECT_EQ(refused.status().code(), sdk::StatusCode::FailedPrecondition);
}

TEST_F(CustomerServiceTest, ACustomerRotatesAtMostOnceIn24Hours) {
    const auto first = service_.rotateKey(callers_["ada"]);
    ASSERT_TRUE(first.ok()) << first.status().message();
    EXPECT_EQ(first->record.prefix, callers_["ada"].id);
    EXPECT_EQ(auth::hashToken(first->raw),
              storage_.apiKeys().findByPrefix(first->record.prefix)->hash);

    clock_.advance(23h + 59min);
    const auto again = service_.rotateKey(callers_["ada"]);
    EXPECT_EQ(again.status().code(), sdk::StatusCode::FailedPrecondition);
    EXPECT_NE(again.status().message().find("next rotation is possible from"), std::string::npos);
    EXPECT_TRUE(service_.rotateKey(callers_["bob"]).ok()) << "the limit is per customer";

    clock_.advance(2min);
    EXPECT_TRUE(service_.rotateKey(callers_["ada"]).ok());
}

TEST_F(CustomerServiceTest, AnotherReplicasRotationOfTheCustomerHoldsThisOneOff) {
    tests::FakeSharedServer server;
    const auto here = server.replica();
    const auto other = server.replica();
    CustomerService replica(context_, &book_, here.get());
    const std::string lock = "rotate:" + service_.account(callers_["ada"])->owner.customer.id;

    ASSERT_TRUE(other->tryLock(lock, 10s).value());
    const auto refused = replica.rotateKey(callers_["ada"]);
    EXPECT_EQ(refused.status().code(), sdk::StatusCode::FailedPrecondition);
    EXPECT_NE(refused.status().message().find("another gateway replica"), std::string::npos);
    EXPECT_TRUE(replica.rotateKey(callers_["bob"]).ok()) << "the lock is per customer";

    other->releaseLock(lock);
    EXPECT_TRUE(replica.rotateKey(callers_["ada"]).ok());
    EXPECT_TRUE(other->tryLock(lock, 10s).value()) << "released after the rotation";
    other->releaseLock(lock);

    // Shared state unreachable: the process's own lock and the audit log still apply.
    server.setUp(false);
    clock_.advance(25h);
    EXPECT_TRUE(replica.rotateKey(callers_["ada"]).ok());
    EXPECT_EQ(replica.rotateKey(callers_["ada"]).status().code(),
              sdk::StatusCode::FailedPrecondition);
}

TEST_F(CustomerServiceTest, UsageListsTheNewestTransactionsAndTotalsEachDay) {
    credit("ada", "1");
    clock_.advance(24h);
    sdk::WalletCharge charge;
    charge.transaction_id = "wtx_1";
    charge.idempotency_key = "resp_1";
    charge.wallet_id = *book_.walletOf(callers_["ada"].id);
    charge.key_prefix = callers_["ada"].id;
    charge.model = "gpt-5.5";
    charge.input_tokens = 100;
    charge.output_tokens = 20;
    charge.cost_micro_usd = 250;
    charge.created_at = clock_.now();
    ASSERT_TRUE(storage_.wallets().charge(charge).ok());
    charge.transaction_id = "wtx_2";
    charge.idempotency_key = "resp_2";
    charge.created_at = clock_.now() + 1s;
    ASSERT_TRUE(storage_.wallets().charge(charge).ok());

    const auto usage = service_.usage(callers_["ada"], 2, 2);
    ASSERT_TRUE(usage.ok()) << usage.status().message();
    ASSERT_EQ(usage->transactions.size(), 2u);
    EXPECT_EQ(usage->transactions.front().idempotency_key, "resp_2");
    ASSERT_EQ(usage->days.size(), 2u);
    EXPECT_EQ(usage->days[0].day, accounting::utcDay(clock_.now()));
    EXPECT_EQ(usage->days[0].charges, 2u);
    EXPECT_EQ(usage->days[0].input_tokens, 200u);
    EXPECT_EQ(usage->days[0].charged_micro_usd, 500);
    EXPECT_EQ(usage->days[0].balance_after, 1'000'000 - 500);
    EXPECT_EQ(usage->days[1].charges, 0u) << "the credit's day";
    EXPECT_TRUE(usage->days_complete);

    EXPECT_EQ(service_.usage(callers_["ada"], 50, 1)->days.size(), 1u) << "today only";
    EXPECT_TRUE(service_.usage(callers_["bob"], 50, 7)->transactions.empty());
}

}  // namespace
}  // namespace sluice::core::control
