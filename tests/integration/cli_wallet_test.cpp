// Billing from the `sluice` binary (issue 17): customers, key links, credits and debits, rate
// cards, each refusal a clear error and exit code 1, on the SQLite pipeline.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

class CliWalletTest : public CliTest {
protected:
    CliWalletTest() { writeConfig(pipeline()); }

    nlohmann::json ok(std::vector<std::string> args) {
        args.push_back("--json");
        const CliRun run = sluice(args);
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return nlohmann::json::parse(run.out, nullptr, false);
    }

    /// Runs a command that must fail with exit code 1 and an error containing `expected`.
    void refused(const std::vector<std::string>& args, const std::string& expected) {
        const CliRun run = sluice(args);
        EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
        EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
    }

    std::string newKey() {
        return ok({"key", "create", "--pool", "team", "--name", "ci"})["prefix"];
    }
};

TEST_F(CliWalletTest, AnOperatorSwitchesACustomersUsernameBearerOnAndOff) {
    ok({"customer", "create", "ada"});
    const CliRun on = sluice({"customer", "username-bearer", "ada", "on"});
    ASSERT_EQ(on.exit_code, 0) << on.err;
    EXPECT_NE(on.out.find("username bearer on for ada"), std::string::npos) << on.out;
    EXPECT_EQ(sluice({"customer", "username-bearer", "ada", "off"}).exit_code, 0);
    refused({"customer", "username-bearer", "zed", "on"}, "zed");
    const CliRun bad = sluice({"customer", "username-bearer", "ada", "yes"});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("on or off"), std::string::npos) << bad.err;
}

TEST_F(CliWalletTest, AnOperatorCreditsACustomerLinksAKeyAndSeesTheStatement) {
    const nlohmann::json ada = ok({"customer", "create", "ada"});
    EXPECT_EQ(ada["balance_usd"], "0.000000");
    const std::string key = newKey();

    const CliRun linked = sluice({"wallet", "link", "ada", key});
    ASSERT_EQ(linked.exit_code, 0) << linked.err;
    EXPECT_NE(linked.out.find("linked key " + key), std::string::npos) << linked.out;

    const CliRun credited = sluice({"wallet", "credit", "ada", "25", "--reason", "invoice 7"});
    ASSERT_EQ(credited.exit_code, 0) << credited.err;
    EXPECT_NE(credited.out.find("balance 25.000000 USD"), std::string::npos) << credited.out;
    EXPECT_EQ(ok({"wallet", "debit", "ada", "0.5", "--reason", "goodwill back"})["amount_usd"],
              "-0.500000");

    const nlohmann::json statement = ok({"wallet", "show", "ada", "--limit", "1"});
    EXPECT_EQ(statement["customer"]["balance_usd"], "24.500000");
    ASSERT_EQ(statement["transactions"].size(), 1u);
    EXPECT_EQ(statement["transactions"][0]["reason"], "goodwill back");

    const CliRun table = sluice({"wallet", "show", "ada"});
    EXPECT_NE(table.out.find("invoice 7"), std::string::npos) << table.out;
    const nlohmann::json customers = ok({"customer", "list"});
    ASSERT_EQ(customers.size(), 1u);
    EXPECT_EQ(customers[0]["wallet"], ada["wallet"]);

    ASSERT_EQ(sluice({"wallet", "unlink", "ada", key}).exit_code, 0);
    refused({"wallet", "unlink", "ada", key}, "is not charged to ada's wallet");
}

TEST_F(CliWalletTest, BadAmountsUnknownCustomersAndAnotherCustomersKeyAreRefused) {
    ok({"customer", "create", "ada"});
    ok({"customer", "create", "bob"});
    const std::string key = newKey();
    ASSERT_EQ(sluice({"wallet", "link", "ada", key}).exit_code, 0);

    refused({"customer", "create", "ada"}, "");
    refused({"wallet", "credit", "ada", "1.0000001", "--reason", "x"}, "at most 6 decimals");
    refused({"wallet", "credit", "ada", "ten", "--reason", "x"}, "got 'ten'");
    refused({"wallet", "debit", "ada", "1", "--reason", "x"}, "");
    refused({"wallet", "credit", "zed", "1", "--reason", "x"}, "no customer named 'zed'");
    refused({"wallet", "show", "zed"}, "no customer named 'zed'");
    refused({"wallet", "link", "bob", key}, "another customer's wallet");
    refused({"wallet", "unlink", "bob", key}, "is not charged to bob's wallet");
    refused({"wallet", "link", "bob", "sk-sluice-000000000000"}, "");
    EXPECT_EQ(sluice({"wallet", "credit", "ada", "1"}).exit_code, 2) << "--reason is required";
    EXPECT_EQ(sluice({"wallet", "show", "ada", "--limit", "0"}).exit_code, 2);
    EXPECT_EQ(ok({"wallet", "show", "ada"})["customer"]["balance_usd"], "0.000000");
}

TEST_F(CliWalletTest, RateCardsAreSetExactlyInNewVersionsAndListed) {
    const nlohmann::json first = ok({"rate-card", "set", "gpt-5.5", "--input", "1.25",
                                     "--cached-input", "0.125", "--output", "10"});
    EXPECT_EQ(first["version"], 1);
    EXPECT_EQ(first["cached_input_per_million_usd"], "0.125000");
    EXPECT_EQ(first["per_call_usd"], "0.000000");
    EXPECT_EQ(ok({"rate-card", "set", "gpt-5.5", "--input", "2", "--cached-input", "0.2",
                  "--output", "12", "--per-call", "0.001"})["version"],
              2);
    refused({"rate-card", "set", "*", "--input", "1", "--cached-input", "0.1", "--output", "1,5"},
            "output must be a USD amount");
    const nlohmann::json cards = ok({"rate-card", "list"});
    ASSERT_EQ(cards.size(), 2u);
    EXPECT_EQ(cards[1]["per_call_usd"], "0.001000");
    EXPECT_EQ(sluice({"rate-card", "set", "gpt-5.5", "--input", "1"}).exit_code, 2);
}

TEST_F(CliWalletTest, AdjustPercentWritesANewVersionOfEveryCard) {
    refused({"rate-card", "adjust-percent", "10"}, "no rate card");
    ok({"rate-card", "set", "gpt-5.5", "--input", "2", "--cached-input", "0.2", "--output", "15"});
    ok({"rate-card", "set", "*", "--input", "0.000005", "--cached-input", "0", "--output", "1"});
    const nlohmann::json cards = ok({"rate-card", "adjust-percent", "-12.5"});
    ASSERT_EQ(cards.size(), 2u);
    EXPECT_EQ(cards[0]["model"], "*");
    EXPECT_EQ(cards[0]["version"], 2);
    EXPECT_EQ(cards[0]["input_per_million_usd"], "0.000004") << "4.375 rounds down";
    EXPECT_EQ(cards[1]["model"], "gpt-5.5");
    EXPECT_EQ(cards[1]["input_per_million_usd"], "1.750000");
    EXPECT_EQ(cards[1]["cached_input_per_million_usd"], "0.175000");
    EXPECT_EQ(cards[1]["output_per_million_usd"], "13.125000");
    refused({"rate-card", "adjust-percent", "-100.5"}, "percent must be a percent");
    EXPECT_EQ(ok({"rate-card", "list"}).size(), 4u);
    EXPECT_EQ(sluice({"rate-card", "adjust-percent"}).exit_code, 2) << "PERCENT is required";
}

}  // namespace
}  // namespace sluice::integration
