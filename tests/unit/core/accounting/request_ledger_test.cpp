#include "core/accounting/request_ledger.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "core/accounting/utc_time.hpp"
#include "core/admission/key_policy.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/accounting/recording_settlements.hpp"
#include "tests/unit/core/admission/fake_usage_repository.hpp"

namespace sluice::core::accounting {
namespace {

using namespace std::chrono_literals;

using testing::RecordingCharges;
using testing::RecordingSink;

const auto kStartedAt = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20'000 + 5));
const auto kStarted = std::chrono::steady_clock::time_point(10s);

RequestOrigin origin() {
    return {
        "team",         "sk-sluice-k1", "POST",  "/backend-api/codex/responses", "codex.responses",
        "proxy_stream", kStartedAt,     kStarted};
}

sdk::DispatchOutcome completed(std::uint64_t input, std::uint64_t output) {
    sdk::DispatchOutcome outcome;
    outcome.usage.input_tokens = input;
    outcome.usage.cached_input_tokens = input / 2;
    outcome.usage.output_tokens = output;
    outcome.usage.reasoning_tokens = output / 4;
    return outcome;
}

TEST(RequestLedgerTest, SettlesOneRowFromTheOriginTheTraceTheUsageAndTheTransportFacts) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.trace().model = "gpt-5.5";
    ledger.trace().account_id = "acct_1";
    ledger.trace().account_label = "one";
    ledger.trace().attempts.resize(2);
    ledger.charge({}, completed(100, 40));
    ledger.settle({200, kStarted + 3ms, kStarted + 250ms});

    ASSERT_EQ(sink.settled_.size(), 1U);
    const sdk::RequestLogRecord& row = sink.settled_[0].record;
    EXPECT_EQ(row.id.rfind("req_", 0), 0U);
    EXPECT_EQ(row.started_at, kStartedAt);
    EXPECT_EQ(row.pool, "team");
    EXPECT_EQ(row.key_prefix, "sk-sluice-k1");
    EXPECT_EQ(row.method, "POST");
    EXPECT_EQ(row.route_path, "/backend-api/codex/responses");
    EXPECT_EQ(row.route, "codex.responses");
    EXPECT_EQ(row.route_class, "proxy_stream");
    EXPECT_EQ(row.model, "gpt-5.5");
    EXPECT_EQ(row.account_id, "acct_1");
    EXPECT_EQ(row.account_label, "one");
    EXPECT_EQ(row.status, 200);
    EXPECT_EQ(row.error_code, "");
    EXPECT_EQ(row.attempts, 2U);
    EXPECT_EQ(row.input_tokens, 100U);
    EXPECT_EQ(row.cached_input_tokens, 50U);
    EXPECT_EQ(row.output_tokens, 40U);
    EXPECT_EQ(row.reasoning_tokens, 10U);
    EXPECT_EQ(row.first_byte_us, 3'000);
    EXPECT_EQ(row.latency_us, 250'000);
    EXPECT_EQ(sink.settled_[0].trace.account_label, "one");
}

TEST(RequestLedgerTest, TheUsageDeltaIsTheRowsDayKeyAccountAndTokens) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.trace().model = "gpt-5.5";
    ledger.trace().account_id = "acct_1";
    ledger.charge({}, completed(100, 40));
    ledger.settle({200, std::nullopt, kStarted + 1ms});

    const sdk::UsageBucket& usage = sink.settled_.at(0).usage;
    EXPECT_EQ(usage.day, utcDay(kStartedAt));
    EXPECT_EQ(usage.pool, "team");
    EXPECT_EQ(usage.key_prefix, "sk-sluice-k1");
    EXPECT_EQ(usage.account_id, "acct_1");
    EXPECT_EQ(usage.model, "gpt-5.5");
    EXPECT_EQ(usage.requests, 1U);
    EXPECT_EQ(usage.errors, 0U);
    EXPECT_EQ(usage.input_tokens, 100U);
    EXPECT_EQ(usage.cached_input_tokens, 50U);
    EXPECT_EQ(usage.output_tokens, 40U);
    EXPECT_EQ(usage.reasoning_tokens, 10U);
    EXPECT_EQ(sink.settled_[0].record.first_byte_us, 0);
}

TEST(RequestLedgerTest, EveryDispatchOfTheRequestAddsToItsUsage) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.charge({}, completed(100, 40));
    ledger.charge({}, completed(20, 8));
    ledger.settleTurn({"gpt-5.5", "", "resp_1", completed(1, 1).usage});
    ledger.settle({200, std::nullopt, kStarted});

    const sdk::RequestLogRecord& row = sink.settled_.at(0).record;
    EXPECT_EQ(row.input_tokens, 121U);
    EXPECT_EQ(row.output_tokens, 49U);
}

TEST(RequestLedgerTest, ASettledRequestIsChargedOnceBeforeItsRowIsQueued) {
    RecordingSink sink;
    RecordingCharges charges;
    RequestLedger ledger(sink, origin(), &charges);
    ledger.trace().model = "gpt-5.5";
    ledger.trace().account_id = "acct_1";
    ledger.trace().response_id = "resp_9";
    ledger.trace().conversation_key = "thread-1";
    ledger.charge({}, completed(100, 40));
    ledger.settle({200, std::nullopt, kStarted});
    ledger.settle({200, std::nullopt, kStarted});

    ASSERT_EQ(charges.charged_.size(), 1U);
    const SettledRequest& charged = charges.charged_[0];
    EXPECT_EQ(charged.record.id, sink.settled_.at(0).record.id);
    EXPECT_EQ(charged.record.input_tokens, 100U);
    EXPECT_EQ(charged.trace.response_id, "resp_9");
    EXPECT_EQ(charged.trace.conversation_key, "thread-1");
}

TEST(RequestLedgerTest, EachWebSocketTurnIsChargedOnItsOwnAndTheConnectionsRowIsNot) {
    RecordingSink sink;
    RecordingCharges charges;
    RequestLedger ledger(sink, origin(), &charges);
    ledger.chargeByTurns();
    ledger.trace().account_id = "acct_1";
    ledger.settleTurn({"gpt-5.5", "thread-1", "resp_1", completed(1'000, 10).usage});
    ledger.settleTurn({"gpt-5.5", "thread-1", "resp_2", completed(2'500, 20).usage});
    ledger.settle({101, std::nullopt, kStarted + 1s});

    ASSERT_EQ(charges.charged_.size(), 2U) << "one charge per turn, none for the connection";
    const SettledRequest& second = charges.charged_[1];
    EXPECT_EQ(second.record.key_prefix, "sk-sluice-k1");
    EXPECT_EQ(second.record.pool, "team");
    EXPECT_EQ(second.record.account_id, "acct_1");
    EXPECT_EQ(second.record.model, "gpt-5.5");
    EXPECT_EQ(second.record.input_tokens, 2'500U) << "the charger subtracts the baseline";
    EXPECT_EQ(second.record.cached_input_tokens, 1'250U);
    EXPECT_EQ(second.record.output_tokens, 20U);
    EXPECT_EQ(second.trace.response_id, "resp_2");
    EXPECT_EQ(second.trace.conversation_key, "thread-1");
    EXPECT_NE(second.record.id, charges.charged_[0].record.id);
    EXPECT_EQ(sink.settled_.at(0).record.input_tokens, 3'500U) << "the row still adds them up";
}

TEST(RequestLedgerTest, ARefusalNamesItsCodeAndModelAndCountsAsAnError) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.refused("gpt-5.5", {429, "tokens_per_day", "rate_limited", "over budget", "", 1, ""});
    ledger.settle({429, kStarted + 1ms, kStarted + 1ms});

    const SettledRequest& settled = sink.settled_.at(0);
    EXPECT_EQ(settled.record.model, "gpt-5.5");
    EXPECT_EQ(settled.record.error_code, "rate_limited");
    EXPECT_EQ(settled.record.attempts, 0U);
    EXPECT_EQ(settled.usage.errors, 1U);
}

TEST(RequestLedgerTest, AnErrorCodeUnderAnOkStatusStillCountsAsAnError) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.trace().error_code = "client_gone";
    ledger.settle({200, kStarted, kStarted});
    EXPECT_EQ(sink.settled_.at(0).usage.errors, 1U);
}

TEST(RequestLedgerTest, SettlesOnceHoweverOftenAsked) {
    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.settle({200, std::nullopt, kStarted});
    ledger.settle({500, std::nullopt, kStarted});
    ASSERT_EQ(sink.settled_.size(), 1U);
    EXPECT_EQ(sink.settled_[0].record.status, 200);
}

TEST(RequestLedgerTest, ChargingADispatchSettlesItsAdmissionTicketWithTheDispatchsUsage) {
    sdk::testing::FakeHost host;
    admission::testing::FakeUsageRepository stored;
    admission::AdmissionController controller(stored, host.clock(), host.metrics());
    const sdk::Principal key{sdk::CredentialKind::PoolKey, "sk-sluice-k1", "it", "team", "{}"};
    const auto policy = admission::parseKeyPolicy(R"({"max_concurrent_streams":1})").value();
    auto ticket = controller.admit(key, policy, {});
    ASSERT_TRUE(std::holds_alternative<admission::AdmissionTicket>(ticket));
    EXPECT_EQ(controller.load(key.id).streams, 1U);

    RecordingSink sink;
    RequestLedger ledger(sink, origin());
    ledger.charge(std::get<admission::AdmissionTicket>(std::move(ticket)), completed(300, 200));
    EXPECT_EQ(controller.load(key.id).streams, 0U);
    EXPECT_EQ(controller.load(key.id).tokens_today, 500U);
}

}  // namespace
}  // namespace sluice::core::accounting
