#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <zstd.h>

#include <atomic>
#include <chrono>
#include <sstream>
#include <thread>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kTwoAccounts = R"(
accounts:
  - id: acct-a
    access_token: tok-a
    rate_limits:
      primary: { used_percent: 12.5, window_minutes: 300, reset_in: 1h }
      secondary: { used_percent: 40, window_minutes: 10080, reset_in: 3d }
  - id: acct-b
    access_token: tok-b
)";

std::string outputText(const nlohmann::json& response) {
    return response["output"][0]["content"][0]["text"].get<std::string>();
}

class ResponsesTest : public EmulatorTest {};

TEST_F(ResponsesTest, StreamsTheFullTextSequenceInOrder) {
    startWith(kTwoAccounts);
    const auto reply = postResponses(turnBody());
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "text/event-stream");
    EXPECT_EQ(reply.header("x-codex-primary-used-percent"), "12.5");
    EXPECT_EQ(reply.header("x-codex-primary-window-minutes"), "300");
    EXPECT_FALSE(reply.header("x-codex-primary-reset-at").empty());
    EXPECT_EQ(reply.header("x-codex-secondary-used-percent"), "40");
    EXPECT_EQ(reply.header("x-codex-secondary-window-minutes"), "10080");

    const auto events = parseSse(reply.body);
    std::vector<std::string> expected = {"response.created", "response.in_progress",
                                         "response.output_item.added",
                                         "response.content_part.added"};
    expected.insert(expected.end(), 12, "response.output_text.delta");
    expected.insert(expected.end(), {"response.output_text.done", "response.content_part.done",
                                     "response.output_item.done", "response.completed"});
    ASSERT_EQ(eventTypes(events), expected);  // the default is the 20-event benchmark stream

    std::string streamed;
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i]["sequence_number"], i);
        if (events[i]["type"] == "response.output_text.delta") {
            streamed += events[i]["delta"].get<std::string>();
            EXPECT_EQ(events[i]["item_id"], events[2]["item"]["id"]);
        }
    }
    EXPECT_EQ(events[16]["text"], streamed);
    EXPECT_EQ(events[18]["item"]["type"], "message");
    EXPECT_EQ(events[18]["item"]["role"], "assistant");
    const auto& completed = events[19]["response"];
    EXPECT_EQ(completed["id"], events[0]["response"]["id"]);
    EXPECT_EQ(completed["status"], "completed");
    EXPECT_EQ(completed["model"], "gpt-5.5");
    EXPECT_EQ(outputText(completed), streamed);
    EXPECT_EQ(completed["usage"]["total_tokens"], 1220);
    EXPECT_EQ(completed["usage"]["input_tokens_details"]["cached_tokens"], 1000);
}

TEST_F(ResponsesTest, DeltaCountAndTextAreScriptable) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { deltas: 3, text: "héllo wörld" }
)");
    const auto events = parseSse(postResponses(turnBody()).body);
    ASSERT_EQ(events.size(), 11u);
    std::string streamed;
    for (const auto& event : events) {
        if (event["type"] == "response.output_text.delta")
            streamed += event["delta"].get<std::string>();
    }
    EXPECT_EQ(streamed, "héllo wörld");  // no UTF-8 sequence split across deltas
}

TEST_F(ResponsesTest, StreamFalseAnswersWithTheFinalResponseObject) {
    startWith(kTwoAccounts);
    auto body = turnBody();
    body["stream"] = false;
    const auto reply = postResponses(body);
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "application/json");
    const auto json = reply.json();
    EXPECT_EQ(json["object"], "response");
    EXPECT_EQ(json["status"], "completed");
    EXPECT_FALSE(outputText(json).empty());
    EXPECT_TRUE(json.contains("usage"));
}

TEST_F(ResponsesTest, AcceptsZstdCompressedBodies) {
    startWith(kTwoAccounts);
    const auto plain = turnBody().dump();
    std::string compressed(ZSTD_compressBound(plain.size()), '\0');
    compressed.resize(
        ZSTD_compress(compressed.data(), compressed.size(), plain.data(), plain.size(), 3));
    HttpCall request{"POST", "/backend-api/codex/responses", compressed};
    request.headers = {{"Authorization", "Bearer tok-a"},
                       {"chatgpt-account-id", "acct-a"},
                       {"Content-Type", "application/json"},
                       {"Content-Encoding", "zstd"}};
    const auto reply = call(request);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(eventTypes(parseSse(reply.body)).back(), "response.completed");
    const auto records = recorded("acct-a");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0]["content_encoding"], "zstd");
    EXPECT_EQ(records[0]["input_items"], 2);
}

TEST_F(ResponsesTest, AcceptsGzipCompressedBodies) {
    startWith(kTwoAccounts);
    std::ostringstream compressed;
    {
        Poco::DeflatingOutputStream deflater(compressed, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflater << turnBody().dump();
        deflater.close();
    }
    HttpCall request{"POST", "/backend-api/codex/responses", compressed.str()};
    request.headers = {{"Authorization", "Bearer tok-a"},
                       {"chatgpt-account-id", "acct-a"},
                       {"Content-Encoding", "gzip"}};
    EXPECT_EQ(call(request).status, 200);
}

TEST_F(ResponsesTest, CorruptCompressedBodyIs400) {
    startWith(kTwoAccounts);
    HttpCall request{"POST", "/backend-api/codex/responses", "definitely not zstd"};
    request.headers = {{"Authorization", "Bearer tok-a"},
                       {"chatgpt-account-id", "acct-a"},
                       {"Content-Encoding", "zstd"}};
    const auto reply = call(request);
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(reply.json()["error"]["code"], "invalid_body");
}

TEST_F(ResponsesTest, UnknownOrMismatchedAccountIs401) {
    startWith(kTwoAccounts);
    const auto unknown = postResponses(turnBody(), "acct-x", "tok-x");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(unknown.json()["error"]["code"], "invalid_token");
    // A valid token presented with another account's id is not that account.
    EXPECT_EQ(postResponses(turnBody(), "acct-b", "tok-a").status, 401);
    HttpCall bare{"POST", "/backend-api/codex/responses", turnBody().dump()};
    EXPECT_EQ(call(bare).status, 401);
}

TEST_F(ResponsesTest, UsageLimitAnswers429WithTheDocumentedBody) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    plan_type: pro
    rate_limits: { primary: { used_percent: 100, window_minutes: 300, reset_in: 2h } }
    behaviour: { mode: usage_limit, resets_in: 30m }
)");
    const auto before = std::time(nullptr);
    const auto reply = postResponses(turnBody());
    ASSERT_EQ(reply.status, 429);
    EXPECT_EQ(reply.header("x-codex-primary-used-percent"), "100");
    const auto error = reply.json()["error"];
    EXPECT_EQ(error["type"], "usage_limit_reached");
    EXPECT_EQ(error["plan_type"], "pro");
    EXPECT_FALSE(error["message"].get<std::string>().empty());
    EXPECT_EQ(error["resets_in_seconds"], 1800);
    EXPECT_GE(error["resets_at"].get<std::int64_t>(), before + 1800);
    EXPECT_LE(error["resets_at"].get<std::int64_t>(), before + 1800 + 5);
}

TEST_F(ResponsesTest, GenericRateLimitAndServerErrors) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: rate_limited }
  - id: acct-b
    access_token: tok-b
    behaviour: { mode: error, status: 503 }
)");
    const auto limited = postResponses(turnBody());
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.json()["error"]["code"], "rate_limit_exceeded");
    const auto overloaded = postResponses(turnBody(), "acct-b", "tok-b");
    EXPECT_EQ(overloaded.status, 503);
    EXPECT_EQ(overloaded.json()["error"]["code"], "server_is_overloaded");
}

TEST_F(ResponsesTest, FaultsFailTheNextRequestsThenRecover) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    faults:
      - { mode: error, status: 500, count: 2 }
      - { mode: unauthorized }
)");
    EXPECT_EQ(postResponses(turnBody()).status, 500);
    EXPECT_EQ(postResponses(turnBody()).status, 500);
    const auto expired = postResponses(turnBody());
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(expired.json()["error"]["code"], "token_expired");
    EXPECT_EQ(postResponses(turnBody()).status, 200);
}

TEST_F(ResponsesTest, CutStreamEndsWithoutCompletionOrTerminatingChunk) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: cut, cut_after: 5 }
)");
    // A raw socket shows what an HTTP client library would hide: the missing last chunk.
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    const auto body = turnBody().dump();
    const auto head =
        "POST /backend-api/codex/responses HTTP/1.1\r\nHost: emu\r\n"
        "Authorization: Bearer tok-a\r\nchatgpt-account-id: acct-a\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n";
    const auto request = head + body;
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string raw;
    char buffer[4096];
    for (int n = 0; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
        raw.append(buffer, n);

    ASSERT_NE(raw.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_EQ(raw.find("response.completed"), std::string::npos);
    EXPECT_NE(raw.substr(raw.size() - 7), "\r\n0\r\n\r\n");
    const auto events = parseSse(raw.substr(raw.find("\r\n\r\n")));
    EXPECT_EQ(events.size(), 5u);
}

TEST_F(ResponsesTest, SlowFirstByteWaitsTheScriptedDelay) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: slow, delay: 400ms }
)");
    const auto started = steady_clock::now();
    const auto reply = postResponses(turnBody());
    const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
    EXPECT_EQ(reply.status, 200);
    EXPECT_GE(elapsed.count(), 350);
    EXPECT_LT(elapsed.count(), 10000);
    EXPECT_EQ(eventTypes(parseSse(reply.body)).back(), "response.completed");
}

TEST_F(ResponsesTest, HangHoldsTheRequestUntilTheClientGivesUp) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: hang }
)");
    HttpCall request{"POST", "/backend-api/codex/responses", turnBody().dump()};
    request.headers = {{"Authorization", "Bearer tok-a"}, {"chatgpt-account-id", "acct-a"}};
    request.timeout = milliseconds(300);
    EXPECT_THROW(call(request), Poco::TimeoutException);
    const auto records = recorded("acct-a");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0]["outcome"], "hang");
    // Stopping must not wait for the hanging handler's script.
    const auto started = steady_clock::now();
    server_->stop();
    EXPECT_LT(std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count(),
              5000);
}

TEST_F(ResponsesTest, FailFirstEventSendsResponseFailed) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: fail_first_event }
)");
    const auto reply = postResponses(turnBody());
    ASSERT_EQ(reply.status, 200);
    const auto events = parseSse(reply.body);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["type"], "response.failed");
    EXPECT_EQ(events[0]["response"]["error"]["code"], "server_is_overloaded");
}

TEST_F(ResponsesTest, ToolCallTurnThenFollowUpGetsTheFinalText) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: tool_call, command: "echo from-emulator" }
)");
    const auto first = parseSse(postResponses(turnBody()).body);
    ASSERT_FALSE(first.empty());
    const auto& done = first[first.size() - 2];
    ASSERT_EQ(done["type"], "response.output_item.done");
    EXPECT_EQ(done["item"]["type"], "function_call");
    EXPECT_EQ(done["item"]["name"], "exec_command");
    const auto arguments = nlohmann::json::parse(done["item"]["arguments"].get<std::string>());
    EXPECT_EQ(arguments["cmd"], "echo from-emulator");
    EXPECT_EQ(eventTypes(first).back(), "response.completed");

    auto follow_up = turnBody();
    follow_up["input"].push_back(done["item"]);
    follow_up["input"].push_back({{"type", "function_call_output"},
                                  {"call_id", done["item"]["call_id"]},
                                  {"output", "from-emulator\n"}});
    const auto second = parseSse(postResponses(follow_up).body);
    ASSERT_EQ(second.size(), 20u);
    EXPECT_EQ(second[18]["item"]["type"], "message");
    const auto records = recorded("acct-a");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_FALSE(records[0]["has_function_call_output"].get<bool>());
    EXPECT_TRUE(records[1]["has_function_call_output"].get<bool>());
    EXPECT_EQ(records[1]["last_input_type"], "function_call_output");
}

TEST_F(ResponsesTest, ToolCallNamesTheScriptedToolAndArgument) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    behaviour: { mode: tool_call, tool: Bash, tool_argument: command, command: "echo hi" }
)");
    const auto events = parseSse(postResponses(turnBody()).body);
    ASSERT_GE(events.size(), 2u);
    const auto& done = events[events.size() - 2];
    ASSERT_EQ(done["type"], "response.output_item.done");
    EXPECT_EQ(done["item"]["name"], "Bash");
    EXPECT_EQ(nlohmann::json::parse(done["item"]["arguments"].get<std::string>()),
              (nlohmann::json{{"command", "echo hi"}}));
}

TEST_F(ResponsesTest, CompactionTriggerYieldsExactlyOneCompactionItem) {
    startWith(kTwoAccounts);
    auto body = turnBody();
    body["input"].push_back({{"type", "compaction_trigger"}});
    const auto events = parseSse(postResponses(body).body);
    int compaction_items = 0;
    for (const auto& event : events) {
        if (event["type"] == "response.output_item.done") {
            EXPECT_EQ(event["item"]["type"], "compaction");
            EXPECT_FALSE(event["item"]["encrypted_content"].get<std::string>().empty());
            ++compaction_items;
        }
    }
    EXPECT_EQ(compaction_items, 1);
    EXPECT_EQ(eventTypes(events).back(), "response.completed");
}

TEST_F(ResponsesTest, RateLimitEventIsOptIn) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    plan_type: team
    rate_limits:
      primary: { used_percent: 55, window_minutes: 300, reset_at: 1900000000 }
      stream_event: true
)");
    const auto events = parseSse(postResponses(turnBody()).body);
    ASSERT_GT(events.size(), 3u);
    EXPECT_EQ(events[2]["type"], "codex.rate_limits");
    EXPECT_EQ(events[2]["plan_type"], "team");
    EXPECT_EQ(events[2]["rate_limits"]["primary"]["used_percent"], 55);
    EXPECT_EQ(events[2]["rate_limits"]["primary"]["reset_at"], 1900000000);
}

TEST_F(ResponsesTest, DriftHeaderSetCanPutTheWeeklyWindowInThePrimarySlot) {
    startWith(R"(
accounts:
  - id: acct-a
    access_token: tok-a
    plan_type: pro
    rate_limits:
      primary: { used_percent: 30, window_minutes: 10080, reset_in: 2h }
      header_set: drift
)");
    const auto reply = postResponses(turnBody());
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("x-codex-primary-window-minutes"), "10080");
    EXPECT_NEAR(std::stoi(reply.header("x-codex-primary-reset-after-seconds")), 7200, 5);
    EXPECT_TRUE(reply.header("x-codex-secondary-used-percent").empty());
    EXPECT_EQ(reply.header("x-codex-plan-type"), "pro");
    EXPECT_EQ(reply.header("x-codex-active-limit"), "codex");
    EXPECT_EQ(reply.header("x-codex-credits-has-credits"), "false");
    EXPECT_EQ(reply.header("x-codex-credits-unlimited"), "false");
}

TEST_F(ResponsesTest, KeepAliveServesSeveralStreamsOnOneConnection) {
    startWith(kTwoAccounts);
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setKeepAlive(true);
    for (int i = 0; i < 3; ++i) {
        Poco::Net::HTTPRequest request("POST", "/backend-api/codex/responses",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer tok-a");
        request.set("chatgpt-account-id", "acct-a");
        const auto body = turnBody().dump();
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string text(std::istreambuf_iterator<char>(session.receiveResponse(response)), {});
        EXPECT_EQ(response.getStatus(), 200);
        EXPECT_EQ(eventTypes(parseSse(text)).back(), "response.completed");
    }
}

TEST_F(ResponsesTest, ServesManyConcurrentStreams) {
    startWith(R"(
accounts:
  - { id: acct-a, access_token: tok-a, behaviour: { event_delay: 2ms } }
  - { id: acct-b, access_token: tok-b, faults: [ { mode: error, count: 10 } ] }
)");
    constexpr int kClients = 24;
    constexpr int kStreamsEach = 4;
    std::atomic<int> completed{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            const bool use_b = c % 3 == 0;
            for (int i = 0; i < kStreamsEach; ++i) {
                const auto reply = use_b ? postResponses(turnBody(), "acct-b", "tok-b")
                                         : postResponses(turnBody());
                if (reply.status == 200 && eventTypes(parseSse(reply.body)).size() == 20) {
                    ++completed;
                } else if (reply.status == 500) {
                    ++failed;
                }
            }
        });
    }
    for (auto& client : clients)
        client.join();
    EXPECT_EQ(failed.load(), 10);  // the fault counter is exact under concurrency
    EXPECT_EQ(completed.load(), kClients * kStreamsEach - 10);
    EXPECT_EQ(recorded().size(), static_cast<std::size_t>(kClients * kStreamsEach));
}

TEST_F(ResponsesTest, EarlyAnswersStillConsumeTheBodyForKeepAlive) {
    startWith(kTwoAccounts);
    Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
    session.setKeepAlive(true);
    const auto send = [&](const std::string& path, const std::string& token) {
        Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + token);
        request.set("chatgpt-account-id", "acct-a");
        const auto body = turnBody().dump();
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string text(std::istreambuf_iterator<char>(session.receiveResponse(response)), {});
        return static_cast<int>(response.getStatus());
    };
    // 404 and 401 answer before reading the body; the next request must still parse.
    EXPECT_EQ(send("/backend-api/ps/mcp", "tok-a"), 404);
    EXPECT_EQ(send("/backend-api/codex/responses", "tok-wrong"), 401);
    EXPECT_EQ(send("/backend-api/codex/responses", "tok-a"), 200);
}

TEST_F(ResponsesTest, LegacyCompactEndpointReturnsReplacementHistory) {
    startWith(kTwoAccounts);
    HttpCall request{"POST", "/backend-api/codex/responses/compact", turnBody().dump()};
    request.headers = {{"Authorization", "Bearer tok-a"}, {"chatgpt-account-id", "acct-a"}};
    const auto reply = call(request);
    ASSERT_EQ(reply.status, 200);
    const auto output = reply.json()["output"];
    ASSERT_EQ(output.size(), 2u);
    EXPECT_EQ(output[0]["role"], "user");
    EXPECT_EQ(output[1]["type"], "compaction");
}

TEST_F(ResponsesTest, UnknownPathsAre404Json) {
    startWith(kTwoAccounts);
    const auto reply = get("/backend-api/ps/plugins/installed?limit=200");
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.json()["error"]["code"], "not_found");
}

}  // namespace
}  // namespace sluice::emulator::testing
