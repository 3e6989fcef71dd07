#include "core/dispatch/event_relay.hpp"

#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/dispatch/fake_upstream_connection.hpp"

namespace sluice::core::dispatch {
namespace {

using testing::FakeUpstreamConnection;

/// Keeps what the client was sent; can play a client that leaves.
class RecordingSink final : public sdk::DispatchSink {
public:
    void onCommit(const sdk::UpstreamHead& head) noexcept override {
        commits.push_back(head.status);
    }
    bool onEvent(const sdk::SseEvent& event) noexcept override {
        events.emplace_back(event.type);
        return events.size() < leave_after;
    }
    bool onBody(std::string_view) noexcept override { return true; }
    bool onIdle() noexcept override {
        ++idles;
        return stay_on_idle;
    }

    std::vector<int> commits;
    std::vector<std::string> events;
    int idles = 0;
    std::size_t leave_after = 1000;
    bool stay_on_idle = true;
};

// An event as the upstream frames it: its type in the JSON, `fields` (an object's members) after.
std::string event(std::string_view type, std::string_view fields = "") {
    return "event: " + std::string(type) + "\ndata: {\"type\":\"" + std::string(type) + "\"" +
           (fields.empty() ? "" : ",") + std::string(fields) + "}\n\n";
}

class EventRelayTest : public ::testing::Test {
protected:
    /// Relays `pieces` (a body the peer closes after the last one) with the real read loop.
    void relay(std::vector<std::string> pieces, bool allow_failover = true,
               StreamEnd end = StreamEnd::FinalEvent) {
        FakeUpstreamConnection connection(std::move(pieces));
        Poco::Net::HTTPResponse head;
        UpstreamReader reader(connection, http::framingOf(head));
        EventRelay relay(sink_, {200, {}}, end, allow_failover, host_.fakeClock(), hooks(),
                         result_);
        relay.run(reader, cutoff_, std::chrono::seconds(10), std::chrono::seconds(300));
        phase_ = relay.phase();
    }

    EventRelay make(bool allow_failover = true) {
        return EventRelay(sink_, {200, {}}, StreamEnd::FinalEvent, allow_failover,
                          host_.fakeClock(), hooks(), result_);
    }

    /// Counts the quota evidence learned; a claim is noted among the events the client got, so
    /// a test sees which came first.
    EventRelay::Hooks hooks() {
        return {
            [this](const routing::QuotaObservation& quota) { learned_ += quota.empty() ? 0 : 1; },
            [this](const std::string& response_id) {
                sink_.events.push_back("claimed " + response_id);
            }};
    }

    sdk::testing::FakeHost host_;
    StreamCutoff cutoff_;
    RecordingSink sink_;
    AttemptResult result_;
    Phase phase_ = Phase::Holding;
    int learned_ = 0;
};

TEST_F(EventRelayTest, HoldsBookkeepingUntilTheFirstVisibleEventThenCommits) {
    auto relay = make();
    EXPECT_EQ(relay.phase(), Phase::Holding);
    EXPECT_TRUE(relay.onData(event("response.created") + event("response.in_progress")));
    EXPECT_EQ(relay.phase(), Phase::Holding);
    EXPECT_TRUE(sink_.commits.empty());
    EXPECT_TRUE(relay.onData(event("response.output_text.delta")));
    EXPECT_EQ(relay.phase(), Phase::Committed);
    EXPECT_EQ(sink_.commits, std::vector<int>{200});
    EXPECT_EQ(sink_.events, (std::vector<std::string>{"response.created", "response.in_progress",
                                                      "response.output_text.delta"}));
}

TEST_F(EventRelayTest, ACompletedStreamIsDone) {
    relay(
        {event("response.created"), event("response.output_text.delta"),
         event(
             "response.completed",
             R"("response":{"id":"resp_1","usage":{"input_tokens":3,"output_tokens":4,"total_tokens":7}})")});
    EXPECT_EQ(phase_, Phase::Done);
    EXPECT_EQ(result_.end, AttemptEnd::Completed);
    EXPECT_EQ(result_.usage.total_tokens, 7U);
    EXPECT_EQ(result_.response_id, "resp_1");
    EXPECT_FALSE(result_.failure);
}

TEST_F(EventRelayTest, ACutBeforeOutputFailsOverInvisibly) {
    relay({event("response.created")});
    EXPECT_EQ(phase_, Phase::Done);
    EXPECT_EQ(result_.end, AttemptEnd::Failover);
    EXPECT_EQ(result_.failure, Failure::CutBeforeOutput);
    EXPECT_TRUE(sink_.commits.empty());
    EXPECT_TRUE(sink_.events.empty());
}

TEST_F(EventRelayTest, ACutAfterOutputIsAnInterruption) {
    relay({event("response.output_text.delta")});
    EXPECT_EQ(result_.end, AttemptEnd::Interrupted);
    EXPECT_EQ(result_.failure, Failure::CutAfterOutput);
    EXPECT_EQ(result_.reason, "stream_cut");
}

TEST_F(EventRelayTest, ARetryableFailingFirstEventFailsOverWithItsQuotaEvidence) {
    relay(
        {event("response.created"),
         event("response.failed",
               R"("response":{"error":{"code":"usage_limit_reached","resets_in_seconds":600}})")});
    EXPECT_EQ(result_.end, AttemptEnd::Failover);
    EXPECT_EQ(result_.reason, "first_event_failed:usage_limit_reached");
    EXPECT_TRUE(sink_.commits.empty());
}

TEST_F(EventRelayTest, AFailingFirstEventIsRelayedWhenFailoverIsNotAllowed) {
    relay({event("response.failed", R"("response":{"error":{"code":"server_error"}})")}, false);
    EXPECT_EQ(sink_.commits.size(), 1U);
    EXPECT_EQ(sink_.events, std::vector<std::string>{"response.failed"});
    EXPECT_EQ(result_.end, AttemptEnd::Completed);  // the peer closed after a terminal event
}

TEST_F(EventRelayTest, ANonRetryableFailingFirstEventIsTheAnswer) {
    relay({event("error", R"("error":{"code":"invalid_prompt"})")});
    EXPECT_EQ(sink_.events, std::vector<std::string>{"error"});
    EXPECT_EQ(result_.end, AttemptEnd::Completed);
}

TEST_F(EventRelayTest, RateLimitEventsAreLearnedBeforeTheClientSeesThem) {
    relay({event("codex.rate_limits",
                 R"("rate_limits":{"primary":{"used_percent":40,"window_minutes":300}})"),
           event("response.output_text.delta"), event("response.completed")});
    EXPECT_GE(learned_, 1);
    EXPECT_EQ(result_.end, AttemptEnd::Completed);
}

TEST_F(EventRelayTest, ACompletedResponseIsClaimedBeforeItsCompletionReachesTheClient) {
    relay({event("response.output_text.delta"),
           event("response.completed", R"("response":{"id":"resp_7"})")});
    EXPECT_EQ(result_.end, AttemptEnd::Completed);
    EXPECT_EQ(result_.response_id, "resp_7");
    EXPECT_EQ(sink_.events, (std::vector<std::string>{"response.output_text.delta",
                                                      "claimed resp_7", "response.completed"}));
}

TEST_F(EventRelayTest, ABodyGrammarEndsCleanlyBeforeAnythingVisible) {
    FakeUpstreamConnection connection({"7\r\n: ping\n\r\n0\r\n\r\n"});
    Poco::Net::HTTPResponse head;
    head.setChunkedTransferEncoding(true);
    UpstreamReader reader(connection, http::framingOf(head));
    EventRelay relay(sink_, {200, {}}, StreamEnd::BodyEnd, true, host_.fakeClock(), hooks(),
                     result_);
    relay.run(reader, cutoff_, std::chrono::seconds(10), std::chrono::seconds(300));
    EXPECT_EQ(result_.end, AttemptEnd::Completed);
    EXPECT_EQ(sink_.commits.size(), 1U);  // its answer, though empty
}

TEST_F(EventRelayTest, SilenceBeforeOutputFailsOverAndAfterItInterrupts) {
    auto holding = make();
    EXPECT_TRUE(holding.onSilence(std::chrono::seconds(200), std::chrono::seconds(300)));
    EXPECT_FALSE(holding.onSilence(std::chrono::seconds(100), std::chrono::seconds(300)));
    EXPECT_EQ(holding.phase(), Phase::Done);
    EXPECT_EQ(result_.failure, Failure::SilentBeforeOutput);
    EXPECT_EQ(result_.end, AttemptEnd::Failover);
    EXPECT_EQ(sink_.idles, 0);  // nothing is sent while holding

    result_ = {};
    auto committed = make();
    committed.onData(event("response.output_text.delta"));
    EXPECT_TRUE(committed.onSilence(std::chrono::seconds(10), std::chrono::seconds(300)));
    EXPECT_EQ(sink_.idles, 1);  // a keepalive
    EXPECT_FALSE(committed.onSilence(std::chrono::seconds(300), std::chrono::seconds(300)));
    EXPECT_EQ(result_.failure, Failure::SilentAfterOutput);
    EXPECT_EQ(result_.end, AttemptEnd::Interrupted);
}

TEST_F(EventRelayTest, AClientThatLeavesEndsTheAttempt) {
    sink_.leave_after = 1;
    auto relay = make();
    EXPECT_FALSE(relay.onData(event("response.output_text.delta")));
    EXPECT_EQ(relay.phase(), Phase::Done);
    EXPECT_EQ(result_.end, AttemptEnd::ClientGone);

    result_ = {};
    sink_ = {};
    sink_.stay_on_idle = false;
    auto idle = make();
    idle.onData(event("response.output_text.delta"));
    EXPECT_FALSE(idle.onSilence(std::chrono::seconds(10), std::chrono::seconds(300)));
    EXPECT_EQ(result_.end, AttemptEnd::ClientGone);
}

TEST_F(EventRelayTest, TheShutdownCutsAHeldStreamAsAPassThrough) {
    auto relay = make();
    relay.onData(event("response.created"));
    relay.onCut();
    EXPECT_EQ(relay.phase(), Phase::Done);
    EXPECT_EQ(result_.failure, Failure::Shutdown);
    EXPECT_EQ(result_.end, AttemptEnd::PassThrough);
}

TEST_F(EventRelayTest, AnOversizedEventBeforeOutputFailsOverWithoutBlame) {
    auto relay = make();
    relay.onData("data: " + std::string(upstream::SseParser::kMaxEventBytes + 1, 'x'));
    EXPECT_EQ(relay.phase(), Phase::Done);
    EXPECT_EQ(result_.failure, Failure::EventTooLarge);
    EXPECT_FALSE(result_.account_fault);
}

}  // namespace
}  // namespace sluice::core::dispatch
