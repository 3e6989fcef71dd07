// The data plane against the emulator: failover only before the first byte, typed errors after
// it, quota evidence, circuits and request logs. Everything on 127.0.0.1.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <zstd.h>

#include "core/auth/credential_token.hpp"
#include "sluice/sdk/delegated_credentials.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

std::string threeAccounts(const std::string& a_behaviour,
                          const std::string& b_behaviour = "{ mode: normal }",
                          const std::string& c_behaviour = "{ mode: normal }") {
    return "accounts:\n"
           "  - { id: acct-a, access_token: tok-a, behaviour: " +
           a_behaviour +
           " }\n"
           "  - { id: acct-b, access_token: tok-b, behaviour: " +
           b_behaviour +
           " }\n"
           "  - { id: acct-c, access_token: tok-c, behaviour: " +
           c_behaviour + " }\n";
}

HarnessOptions options(const std::string& script, int ring_size = 3) {
    HarnessOptions o;
    o.emulator_script = script;
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}, {"acct-c", "tok-c"}};
    o.ring_size = ring_size;
    return o;
}

std::vector<std::string> headerValues(const HttpReply& reply, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& header : reply.headers) {
        if (sdk::equalsIgnoreCase(header.name, name)) {
            values.push_back(header.value);
        }
    }
    return values;
}

TEST(GatewayDispatchTest, RelaysTheUpstreamRequestIdAndOneCacheControl) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }"), 1));
    for (const bool stream : {true, false}) {
        SCOPED_TRACE(stream ? "stream" : "plain");
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody("hi", stream));
        ASSERT_EQ(reply.status, 200) << reply.body;
        const std::vector<std::string> ids = headerValues(reply, "x-request-id");
        ASSERT_EQ(ids.size(), 1U) << "the upstream's request id, for support tickets";
        EXPECT_EQ(ids[0].rfind("req_", 0), 0U) << ids[0];
        if (stream) {
            EXPECT_EQ(headerValues(reply, "cache-control"), std::vector<std::string>{"no-cache"});
            EXPECT_EQ(headerValues(reply, "content-type"),
                      std::vector<std::string>{"text/event-stream"});
        }
    }
}

TEST(GatewayDispatchTest, APoolKeyIsAlsoAcceptedInXApiKey) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }"), 1));
    const std::string path = "/backend-api/codex/responses";
    sdk::Headers headers{{"Content-Type", "application/json"}, {"x-api-key", harness.key()}};
    const HttpReply reply =
        harness.request("POST", path, GatewayHarness::turnBody(), headers, false);
    EXPECT_EQ(reply.status, 200) << reply.body;
    // An Authorization header is the one read, even beside a valid x-api-key.
    headers.push_back({"Authorization", "Basic c2x1aWNl"});
    EXPECT_EQ(harness.request("POST", path, GatewayHarness::turnBody(), headers, false).status,
              401);
}

TEST(GatewayDispatchTest, ADelegatedCredentialIsServedAndLoggedAsItsKey) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }"), 1));
    const std::string prefix = core::auth::parseToken(harness.key())->prefix;
    auto* delegation = dynamic_cast<sdk::DelegatedCredentials*>(
        static_cast<sdk::HostServices*>(&harness.runtime().host()));
    ASSERT_NE(delegation, nullptr) << "a serving gateway lends delegated credentials";
    const auto minted = delegation->delegate(prefix, std::chrono::minutes(5));
    ASSERT_TRUE(minted.ok()) << minted.status().message();
    const sdk::Headers headers{{"Content-Type", "application/json"},
                               {"Authorization", "Bearer " + minted->token}};
    const HttpReply reply = harness.request("POST", "/backend-api/codex/responses",
                                            GatewayHarness::turnBody(), headers, false);
    EXPECT_TRUE(completedTurn(reply)) << reply.body;
    const auto rows = harness.requestLogsAtLeast(1);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].key_prefix, prefix);
    EXPECT_EQ(harness.gatewayLog().find(minted->token), std::string::npos);
}

TEST(GatewayDispatchTest, RelaysAStreamedTurnVerbatimWithQuotaHeaders) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    behaviour: { mode: normal, text: \"Hello from A\" }\n"
        "    rate_limits: { primary: { used_percent: 12.5, window_minutes: 300, reset_in: 1h } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    ASSERT_TRUE(completedTurn(reply)) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "text/event-stream");
    EXPECT_NE(reply.body.find("Hello from A"), std::string::npos);
    EXPECT_NE(reply.header("x-codex-primary-used-percent"), "");
    const auto requests = harness.recordedAt("/backend-api/codex/responses");
    ASSERT_EQ(requests.size(), 1U);
    // The account's own identity goes upstream, with the configured originator and version.
    const auto header = [&](const std::string& name) {
        for (const auto& [key, value] : requests[0].headers) {
            if (key == name) {
                return value;
            }
        }
        return std::string();
    };
    EXPECT_EQ(header("chatgpt-account-id"), requests[0].account_id);
    EXPECT_EQ(header("originator"), "codex_cli_rs");
    EXPECT_EQ(header("version"), "0.169.0");
}

TEST(GatewayDispatchTest, AnswersNonStreamedRequestsWithOneJsonBody) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody("hi", false));
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type").rfind("application/json", 0), 0U);
    EXPECT_NE(reply.body.find("\"output\""), std::string::npos);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].route_class, "proxy_stream");
    EXPECT_EQ(logs[0].method, "POST");
    EXPECT_EQ(logs[0].route_path, "/backend-api/codex/responses");
    EXPECT_GT(logs[0].output_tokens, 0U);
}

TEST(GatewayDispatchTest, CutBeforeAnyOutputFailsOverInvisibly) {
    GatewayHarness harness(
        options(threeAccounts("{ mode: cut, cut_after: 2 }", "{ mode: cut, cut_after: 2 }")));
    for (int i = 0; i < 3; ++i) {
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        ASSERT_TRUE(completedTurn(reply)) << reply.body;
        EXPECT_EQ(reply.body.find("response.failed"), std::string::npos);
        // Exactly one response.created reached the client: nothing of the cut attempts leaked.
        std::size_t created = 0;
        for (auto at = reply.body.find("\"type\":\"response.created\""); at != std::string::npos;
             at = reply.body.find("\"type\":\"response.created\"", at + 1)) {
            ++created;
        }
        EXPECT_EQ(created, 1U);
    }
    EXPECT_GE(harness.metric("sluice_dispatch_failovers_total", "reason=\"stream_cut\""), 1);
}

TEST(GatewayDispatchTest, CutAfterVisibleOutputEndsWithATypedErrorEvent) {
    GatewayHarness harness(
        options(threeAccounts("{ mode: cut, cut_after: 6 }", "{ mode: cut, cut_after: 6 }",
                              "{ mode: cut, cut_after: 6 }")));
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("output_text.delta"), std::string::npos);
    EXPECT_EQ(reply.body.find("\"type\":\"response.completed\""), std::string::npos);
    EXPECT_NE(reply.body.find("event: response.failed"), std::string::npos);
    EXPECT_NE(reply.body.find("upstream_stream_interrupted"), std::string::npos);
    // Visible output means no failover: one account, one attempt.
    EXPECT_EQ(harness.modelRequestsByAccount().size(), 1U);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "stream_cut");
}

TEST(GatewayDispatchTest, FailingFirstEventFailsOver) {
    GatewayHarness harness(
        options(threeAccounts("{ mode: fail_first_event }", "{ mode: fail_first_event }")));
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())));
    }
    EXPECT_GE(harness.metric("sluice_dispatch_failovers_total", "reason=\"first_event\""), 1);
}

TEST(GatewayDispatchTest, UsageLimitedAccountGetsNoTrafficUntilItsReset) {
    GatewayHarness harness(
        options(threeAccounts("{ mode: normal }", "{ mode: usage_limit, resets_in: 1h }")));
    for (int i = 0; i < 12; ++i) {
        ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())))
            << "request " << i;
    }
    EXPECT_LE(harness.modelRequestsByAccount()["acct-b"], 1);
    EXPECT_EQ(harness.metric("sluice_dispatch_failovers_total", "reason=\"usage_limit\""),
              harness.modelRequestsByAccount()["acct-b"]);
    const auto logs = harness.requestLogs();
    bool explained = false;
    for (const auto& log : logs) {
        explained = explained ||
                    log.routing_json.find("usage limit reached until unix") != std::string::npos;
    }
    EXPECT_TRUE(explained);
}

TEST(GatewayDispatchTest, LastCandidateUsageLimitIsPassedThroughForTheClient) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(reply.status, 429);
    EXPECT_NE(reply.body.find("usage_limit_reached"), std::string::npos);
    EXPECT_NE(reply.header("retry-after"), "");
    // Now excluded: the gateway answers itself, as the backend answers an exhausted account.
    const HttpReply again = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(again.status, 429);
    EXPECT_NE(again.body.find("\"type\":\"usage_limit_reached\""), std::string::npos);
    EXPECT_NE(again.body.find("every account of pool 'team' has reached its usage limit"),
              std::string::npos)
        << again.body;
    EXPECT_NE(again.header("retry-after"), "");
}

TEST(GatewayDispatchTest, FailedAccountIsTriedBehindHealthyOnes) {
    GatewayHarness harness(options(threeAccounts("{ mode: error, status: 500 }")));
    for (int i = 0; i < 12; ++i) {
        ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())))
            << "request " << i;
    }
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-a"], 1);
    EXPECT_EQ(harness.metric("sluice_dispatch_failovers_total", "reason=\"server_error\""), 1);
}

TEST(GatewayDispatchTest, CircuitOpensAfterThreeFailuresAndExcludesTheAccount) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: error, status: 500 } "
        "}\n";
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 500);
    }
    const HttpReply refused = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 503);
    EXPECT_NE(refused.body.find("circuit open for gpt-5.5"), std::string::npos) << refused.body;
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-a"], 3);
    EXPECT_EQ(harness.metric("sluice_circuit_transitions_total", "to=\"open\""), 1);
    // Another model is a different circuit.
    EXPECT_EQ(harness.postResponses(R"({"model":"gpt-6-sol","stream":true,"input":[]})").status,
              500);
}

TEST(GatewayDispatchTest, CompactionIsNeverRetriedOnAnotherAccount) {
    GatewayHarness harness(
        options(threeAccounts("{ mode: error, status: 502 }", "{ mode: error, status: 502 }",
                              "{ mode: error, status: 502 }")));
    const HttpReply reply = harness.request("POST", "/backend-api/codex/responses/compact",
                                            R"({"model":"gpt-5.5","input":[]})");
    EXPECT_EQ(reply.status, 502);
    int model_requests = 0;
    for (const auto& [account, count] : harness.modelRequestsByAccount()) {
        model_requests += count;
    }
    EXPECT_EQ(model_requests, 1);
}

TEST(GatewayDispatchTest, SessionStaysOnOneAccountAndMovesOnlyWhenIneligible) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    const sdk::Headers session{{"session-id", "thread-42"}};
    for (int turn = 0; turn < 20; ++turn) {
        ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody(), session)));
    }
    auto counts = harness.modelRequestsByAccount();
    ASSERT_EQ(counts.size(), 1U) << "20 turns spread over accounts";
    const std::string first = counts.begin()->first;

    harness.setBehaviour(first, R"({"mode":"usage_limit","resets_in":"1h"})");
    for (int turn = 0; turn < 10; ++turn) {
        ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody(), session)));
    }
    counts = harness.modelRequestsByAccount();
    EXPECT_EQ(counts[first], 21);  // 20 turns, then the one 429 that made it ineligible
    ASSERT_EQ(counts.size(), 2U) << "the session moved more than once";
}

TEST(GatewayDispatchTest, ContinuationsArePinnedToTheAccountThatProducedTheResponse) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    const HttpReply first = harness.postResponses(GatewayHarness::turnBody("hi", false));
    ASSERT_EQ(first.status, 200);
    const auto id_at = first.body.find("\"id\":\"") + 6;
    const std::string response_id = first.body.substr(id_at, first.body.find('"', id_at) - id_at);
    const std::string owner = harness.recorded().back().account_id;
    const std::string continuation =
        R"({"model":"gpt-5.5","stream":true,"previous_response_id":")" + response_id +
        R"(","input":[]})";
    for (int i = 0; i < 4; ++i) {
        ASSERT_TRUE(completedTurn(harness.postResponses(continuation)));
        EXPECT_EQ(harness.recorded().back().account_id, owner);
    }

    // The owner becomes ineligible: the continuation is refused, never moved silently.
    harness.setBehaviour(owner, R"({"mode":"usage_limit","resets_in":"1h"})");
    harness.postResponses(GatewayHarness::turnBody(),
                          {{"session-id", "elsewhere"}});  // lets the 429 be seen
    for (int i = 0; i < 3; ++i) {
        harness.postResponses(GatewayHarness::turnBody());
    }
    const HttpReply refused = harness.postResponses(continuation);
    EXPECT_EQ(refused.status, 503);
    EXPECT_NE(refused.body.find("\"code\":\"pinned_account_unavailable\""), std::string::npos)
        << refused.body;
    EXPECT_NE(refused.body.find("previous_response"), std::string::npos);
    EXPECT_EQ(refused.header("x-codex-recovery-kind"), "restart_with_full_context");
}

TEST(GatewayDispatchTest, AcceptsZstdBodiesFromTheCodexCli) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    const std::string body = GatewayHarness::turnBody();
    std::string compressed(ZSTD_compressBound(body.size()), '\0');
    compressed.resize(
        ZSTD_compress(compressed.data(), compressed.size(), body.data(), body.size(), 3));
    EXPECT_TRUE(completedTurn(harness.postResponses(compressed, {{"Content-Encoding", "zstd"}})));
}

TEST(GatewayDispatchTest, SendsKeepaliveCommentsWhileTheUpstreamIsQuiet) {
    HarnessOptions o = options(threeAccounts("{ mode: normal, deltas: 2, event_delay: 700ms }",
                                             "{ mode: normal, deltas: 2, event_delay: 700ms }",
                                             "{ mode: normal, deltas: 2, event_delay: 700ms }"));
    o.upstream_yaml = "stream_keepalive: 200ms";
    GatewayHarness harness(o);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_TRUE(completedTurn(reply));
    EXPECT_NE(reply.body.find(": keepalive\n\n"), std::string::npos);
}

TEST(GatewayDispatchTest, RefusesBadCredentialsAndUnknownRoutesWithTypedJson) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    const HttpReply no_key = harness.request("POST", "/backend-api/codex/responses",
                                             GatewayHarness::turnBody(), {}, false);
    EXPECT_EQ(no_key.status, 401);
    EXPECT_NE(no_key.body.find("\"type\":\"authentication_error\""), std::string::npos);
    const HttpReply wrong_key = harness.request(
        "POST", "/backend-api/codex/responses", GatewayHarness::turnBody(),
        {{"Authorization",
          "Bearer sk-sluice-000000000000-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
        false);
    EXPECT_EQ(wrong_key.status, 401);
    const HttpReply unknown = harness.request("GET", "/backend-api/codex/nothing-here");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_NE(unknown.body.find("\"code\":\"not_found\""), std::string::npos);
    const HttpReply not_json = harness.postResponses("not json");
    EXPECT_EQ(not_json.status, 400);
    EXPECT_NE(not_json.body.find("invalid_request_error"), std::string::npos);
    EXPECT_EQ(harness.modelRequestsByAccount().size(), 0U);
}

TEST(GatewayDispatchTest, KeepAliveConnectionSurvivesAnswersThatIgnoredTheBody) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal }")));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    session.setKeepAlive(true);
    const std::string body = GatewayHarness::turnBody();
    const auto send = [&](const std::string& path, const std::string& key) {
        Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        request.set("Authorization", "Bearer " + key);
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string text;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
        return static_cast<int>(response.getStatus());
    };
    EXPECT_EQ(send("/backend-api/codex/responses",
                   "sk-sluice-000000000000-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
              401);
    EXPECT_EQ(send("/backend-api/codex/no-such-route", harness.key()), 404);
    EXPECT_EQ(send("/backend-api/codex/responses", harness.key()), 200);
}

TEST(GatewayDispatchTest, LogsNeitherTokensNorPromptsNorCompletions) {
    GatewayHarness harness(options(threeAccounts("{ mode: normal, text: \"COMPLETION-MARKER\" }",
                                                 "{ mode: normal, text: \"COMPLETION-MARKER\" }",
                                                 "{ mode: normal, text: \"COMPLETION-MARKER\" }")));
    ASSERT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody("PROMPT-MARKER"))));
    harness.postResponses(GatewayHarness::turnBody("PROMPT-MARKER"),
                          {{"Authorization", "Bearer bogus"}});
    std::string logs = harness.gatewayLog();
    for (const auto& row : harness.requestLogs()) {
        logs += row.routing_json + row.error_code + row.key_prefix + row.model;
    }
    const std::vector<std::string> secrets{"PROMPT-MARKER", "COMPLETION-MARKER", "tok-a", "tok-b",
                                           "tok-c",         harness.key()};
    for (const std::string& secret : secrets) {
        EXPECT_EQ(logs.find(secret), std::string::npos) << secret;
    }
    EXPECT_NE(logs.find("event=listening"), std::string::npos);
}

}  // namespace
}  // namespace sluice::integration
