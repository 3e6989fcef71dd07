// The /v1 surface (route-openai) in the gateway against the emulator: the same routing,
// failover and limits as the backend surface, translated answers, and the deterministic
// errors that never reach an upstream. Everything on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/openai_v1_support.hpp"
#include "tests/integration/websocket_raw_client.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

std::string threeAccounts(const std::string& a = "{ mode: normal }",
                          const std::string& b = "{ mode: normal }",
                          const std::string& c = "{ mode: normal }") {
    return "accounts:\n"
           "  - { id: acct-a, access_token: tok-a, behaviour: " +
           a +
           " }\n"
           "  - { id: acct-b, access_token: tok-b, behaviour: " +
           b +
           " }\n"
           "  - { id: acct-c, access_token: tok-c, behaviour: " +
           c + " }\n";
}

HarnessOptions withV1(const std::string& script) {
    HarnessOptions o;
    o.emulator_script = script;
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}, {"acct-c", "tok-c"}};
    o.plugins = {"route-openai"};
    o.extra_routes = {"{ family: openai_v1 }"};
    return o;
}

HttpReply post(GatewayHarness& harness, const std::string& path, const json& body) {
    return harness.request("POST", path, body.dump());
}

/// The `data:` payloads of an SSE body.
std::vector<std::string> dataLines(const std::string& body) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while ((at = body.find("data: ", at)) != std::string::npos) {
        const std::size_t end = body.find('\n', at);
        lines.push_back(body.substr(at + 6, end - at - 6));
        at = end;
    }
    return lines;
}

TEST(OpenAiV1Test, ListsThePoolsVisibleModelsFromOneCachedCatalogFetch) {
    GatewayHarness harness(withV1(threeAccounts()));
    const HttpReply first = harness.request("GET", "/v1/models");
    ASSERT_EQ(first.status, 200) << first.body;
    const json list = json::parse(first.body);
    EXPECT_EQ(list["object"], "list");
    std::vector<std::string> ids;
    for (const auto& model : list["data"]) {
        ids.push_back(model["id"]);
        EXPECT_EQ(model["object"], "model");
        EXPECT_EQ(model["owned_by"], "sluice");
        EXPECT_GT(model["created"].get<std::int64_t>(), 1600000000);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"gpt-5.5", "gpt-6-sol"}))
        << "hidden models are not listed";
    EXPECT_EQ(list["data"][0]["context_length"], 258400) << "272000 at 95% effective";
    EXPECT_EQ(harness.request("GET", "/v1/models/gpt-5.5").status, 200);
    const HttpReply missing = harness.request("GET", "/v1/models/nope");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body)["error"]["code"], "model_not_found");
    EXPECT_EQ(harness.recordedAt("/backend-api/codex/models").size(), 1U)
        << "the catalog is cached per pool";
}

TEST(OpenAiV1Test, ResponsesStreamWithoutBackendEventsAndCollectOtherwise) {
    HarnessOptions o = withV1(
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    behaviour: { mode: normal, text: \"Streamed answer.\" }\n"
        "    rate_limits: { primary: { used_percent: 10, window_minutes: 300, reset_in: 1h }, "
        "stream_event: true }\n");
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    const HttpReply streamed =
        post(harness, "/v1/responses", {{"model", "gpt-5.5"}, {"input", "hi"}, {"stream", true}});
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    EXPECT_EQ(streamed.header("content-type"), "text/event-stream");
    EXPECT_NE(streamed.body.find("\"type\":\"response.completed\""), std::string::npos);
    EXPECT_EQ(streamed.body.find("codex.rate_limits"), std::string::npos);
    EXPECT_EQ(streamed.header("x-codex-primary-used-percent"), "")
        << "account quotas stay inside the gateway";

    const HttpReply collected = post(harness, "/v1/responses",
                                     {{"model", "gpt-5.5"}, {"input", "hi"}, {"temperature", 0.3}});
    ASSERT_EQ(collected.status, 200) << collected.body;
    const json response = json::parse(collected.body);
    EXPECT_EQ(response["object"], "response");
    EXPECT_EQ(response["status"], "completed");
    EXPECT_EQ(response["output"][0]["content"][0]["text"], "Streamed answer.");
    EXPECT_EQ(response["usage"]["total_tokens"], 1220);
    for (const auto& record : harness.recorded("acct-a")) {
        if (record.model) {
            EXPECT_EQ(record.stream, true) << "the backend is always asked for a stream";
        }
    }
    const auto logs = harness.requestLogsAtLeast(2);
    ASSERT_GE(logs.size(), 2U);
    EXPECT_EQ(logs[0].route.rfind("openai.", 0), 0U);
    EXPECT_EQ(logs[0].input_tokens, 1200U);
}

TEST(OpenAiV1Test, ChatCompletionsStreamAndCollectWithUsage) {
    GatewayHarness harness(
        withV1(threeAccounts("{ mode: normal, text: \"Chat answer.\", deltas: 3 }",
                             "{ mode: normal, text: \"Chat answer.\", deltas: 3 }",
                             "{ mode: normal, text: \"Chat answer.\", deltas: 3 }")));
    json streamed_body = chatBody(true);
    streamed_body["stream_options"] = {{"include_usage", true}};
    const HttpReply streamed = post(harness, "/v1/chat/completions", streamed_body);
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    const auto lines = dataLines(streamed.body);
    ASSERT_GE(lines.size(), 5U);
    EXPECT_EQ(json::parse(lines.front())["choices"][0]["delta"]["role"], "assistant");
    EXPECT_EQ(lines.back(), "[DONE]");
    const json usage = json::parse(lines[lines.size() - 2]);
    EXPECT_EQ(usage["choices"], json::array());
    EXPECT_EQ(usage["usage"]["prompt_tokens"], 1200);
    std::string text;
    for (const auto& line : lines) {
        if (line != "[DONE]") {
            const json chunk = json::parse(line);
            EXPECT_EQ(chunk["object"], "chat.completion.chunk");
            if (!chunk["choices"].empty()) {
                text += chunk["choices"][0]["delta"].value("content", "");
            }
        }
    }
    EXPECT_EQ(text, "Chat answer.");

    const HttpReply collected = post(harness, "/v1/chat/completions", chatBody(false));
    ASSERT_EQ(collected.status, 200) << collected.body;
    const json completion = json::parse(collected.body);
    EXPECT_EQ(completion["object"], "chat.completion");
    EXPECT_EQ(completion["choices"][0]["message"]["content"], "Chat answer.");
    EXPECT_EQ(completion["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(completion["usage"]["total_tokens"], 1220);
}

TEST(OpenAiV1Test, LegacyCompletionsTakeTheChatPathAndAnswerAsTextCompletions) {
    GatewayHarness harness(withV1(threeAccounts("{ mode: normal, text: \"Legacy.\", deltas: 2 }",
                                                "{ mode: normal, text: \"Legacy.\", deltas: 2 }",
                                                "{ mode: normal, text: \"Legacy.\", deltas: 2 }")));
    const json body{{"model", "gpt-5.5"}, {"prompt", "hi"}, {"max_tokens", 5}};
    const HttpReply collected = post(harness, "/v1/completions", body);
    ASSERT_EQ(collected.status, 200) << collected.body;
    const json completion = json::parse(collected.body);
    EXPECT_EQ(completion["object"], "text_completion");
    EXPECT_EQ(completion["choices"][0]["text"], "Legacy.");
    EXPECT_EQ(completion["usage"]["total_tokens"], 1220);

    json streamed_body = body;
    streamed_body["stream"] = true;
    const HttpReply streamed = post(harness, "/v1/completions", streamed_body);
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    const auto lines = dataLines(streamed.body);
    ASSERT_GE(lines.size(), 3U);
    EXPECT_EQ(lines.back(), "[DONE]");
    std::string text;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const json chunk = json::parse(lines[i]);
        EXPECT_EQ(chunk["object"], "text_completion");
        text += chunk["choices"][0].value("text", "");
    }
    EXPECT_EQ(text, "Legacy.");
    EXPECT_EQ(json::parse(lines[lines.size() - 2])["choices"][0]["finish_reason"], "stop");
    EXPECT_EQ(harness.modelRequests(), 2);

    json echoed = body;
    echoed["echo"] = true;
    const HttpReply refused = post(harness, "/v1/completions", echoed);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(json::parse(refused.body)["error"]["param"], "echo");
    EXPECT_EQ(harness.modelRequests(), 2) << "refused before dispatch";
}

TEST(OpenAiV1Test, TranslatedAnswersKeepTheUpstreamRequestId) {
    GatewayHarness harness(withV1(threeAccounts()));
    for (const bool stream : {true, false}) {
        const HttpReply chat = post(harness, "/v1/chat/completions", chatBody(stream));
        ASSERT_EQ(chat.status, 200) << chat.body;
        EXPECT_EQ(chat.header("x-request-id").rfind("req_emu", 0), 0u) << stream;
        const HttpReply responses = post(
            harness, "/v1/responses", {{"model", "gpt-5.5"}, {"stream", stream}, {"input", "hi"}});
        ASSERT_EQ(responses.status, 200) << responses.body;
        EXPECT_EQ(responses.header("x-request-id").rfind("req_emu", 0), 0u) << stream;
    }
}

TEST(OpenAiV1Test, ChatCompletionsAreServedUnderTheCodexSurfacesV1Alias) {
    GatewayHarness harness(withV1(threeAccounts()));
    const HttpReply chat = post(harness, "/backend-api/codex/v1/chat/completions", chatBody(false));
    ASSERT_EQ(chat.status, 200) << chat.body;
    EXPECT_EQ(json::parse(chat.body)["object"], "chat.completion");
    // The OpenAI dialect, as on /v1.
    const HttpReply bad = harness.request("POST", "/backend-api/codex/v1/chat/completions", "[]");
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(json::parse(bad.body)["error"].contains("param")) << bad.body;
}

TEST(OpenAiV1Test, FailsOverAUsageLimitedAccountLikeTheBackendSurface) {
    GatewayHarness harness(withV1(threeAccounts("{ mode: usage_limit, resets_in: 1h }")));
    for (int i = 0; i < 6; ++i) {
        const HttpReply reply = post(harness, "/v1/chat/completions", chatBody(i % 2 == 0));
        ASSERT_EQ(reply.status, 200) << "request " << i << ": " << reply.body;
    }
    EXPECT_LE(harness.modelRequestsByAccount()["acct-a"], 1);
    EXPECT_EQ(harness.metric("sluice_dispatch_failovers_total", "reason=\"usage_limit\""),
              harness.modelRequestsByAccount()["acct-a"]);
}

TEST(OpenAiV1Test, AnExhaustedPoolAnswersTheOpenAiEnvelopeWithoutUpstreamWords) {
    HarnessOptions o = withV1(
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit, "
        "error_message: \"UPSTREAM-SECRET-WORDS\" } }\n");
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    const HttpReply limited = post(harness, "/v1/chat/completions", chatBody(false));
    EXPECT_EQ(limited.status, 429);
    EXPECT_NE(limited.header("retry-after"), "");
    const json error = json::parse(limited.body)["error"];
    EXPECT_EQ(error["type"], "rate_limit_error");
    EXPECT_EQ(error["code"], "usage_limit_reached");
    EXPECT_EQ(error["message"], "upstream request failed");
    EXPECT_EQ(limited.body.find("UPSTREAM-SECRET-WORDS"), std::string::npos);
    EXPECT_EQ(limited.body.find("plan_type"), std::string::npos);

    // Known exhausted before any attempt: the same answer, from the gateway.
    const HttpReply again = post(harness, "/v1/responses", {{"model", "gpt-5.5"}, {"input", "hi"}});
    EXPECT_EQ(again.status, 429);
    EXPECT_EQ(json::parse(again.body)["error"]["code"], "usage_limit_reached");
    EXPECT_EQ(json::parse(again.body)["error"]["type"], "rate_limit_error");
    EXPECT_NE(again.header("retry-after"), "");
}

TEST(OpenAiV1Test, ServerErrorsFailOverAndACutStreamNeverEndsCleanly) {
    GatewayHarness harness(
        withV1(threeAccounts("{ mode: error, status: 500 }", "{ mode: cut, cut_after: 6 }",
                             "{ mode: cut, cut_after: 6 }")));
    const HttpReply chat = post(harness, "/v1/chat/completions", chatBody(true));
    ASSERT_EQ(chat.status, 200) << chat.body;
    const auto lines = dataLines(chat.body);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.back(), "[DONE]");
    EXPECT_EQ(json::parse(lines.back())["error"]["code"], "upstream_stream_interrupted");

    const HttpReply responses =
        post(harness, "/v1/responses", {{"model", "gpt-5.5"}, {"input", "x"}, {"stream", true}});
    EXPECT_NE(responses.body.find("event: error"), std::string::npos);
    EXPECT_EQ(responses.body.find("response.completed"), std::string::npos);
    const HttpReply collected =
        post(harness, "/v1/responses", {{"model", "gpt-5.5"}, {"input", "x"}});
    EXPECT_EQ(collected.status, 502);
    EXPECT_EQ(json::parse(collected.body)["error"]["code"], "upstream_stream_interrupted");
}

TEST(OpenAiV1Test, BadRequestsAndUnknownModelsNeverReachAnUpstream) {
    GatewayHarness harness(withV1(threeAccounts()));
    const struct {
        std::string path;
        json body;
        int status;
        std::string code;
        std::string param;
    } cases[] = {
        {"/v1/chat/completions",
         {{"model", "gpt-9"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}},
         400,
         "model_not_available",
         "model"},
        {"/v1/responses",
         {{"model", "gpt-9"}, {"input", "x"}},
         400,
         "model_not_available",
         "model"},
        {"/v1/chat/completions",
         {{"model", "gpt-5.5"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}, {"seed", 1}},
         400,
         "unsupported_parameter",
         "seed"},
        {"/v1/chat/completions",
         {{"model", "gpt-5.5"}, {"messages", json::array()}},
         400,
         "invalid_value",
         "messages"},
        {"/v1/responses",
         {{"model", "gpt-5.5"}, {"input", "x"}, {"prompt", {{"id", "p"}}}},
         400,
         "unsupported_parameter",
         "prompt"},
        {"/v1/images/generations",
         {{"model", "dall-e-2"}, {"prompt", "x"}},
         400,
         "model_not_available",
         "model"},
    };
    for (const auto& bad : cases) {
        const HttpReply reply = post(harness, bad.path, bad.body);
        EXPECT_EQ(reply.status, bad.status) << bad.body.dump();
        const json error = json::parse(reply.body)["error"];
        EXPECT_EQ(error["type"], "invalid_request_error");
        EXPECT_EQ(error["code"], bad.code) << reply.body;
        EXPECT_EQ(error["param"], bad.param) << reply.body;
    }
    const HttpReply garbage = harness.request("POST", "/v1/chat/completions", "{not json");
    EXPECT_EQ(garbage.status, 400);
    EXPECT_EQ(json::parse(garbage.body)["error"]["type"], "invalid_request_error");
    EXPECT_EQ(harness.modelRequests(), 0);
}

TEST(OpenAiV1Test, UnsupportedEndpointsAnswerOneDeterministicError) {
    GatewayHarness harness(withV1(threeAccounts()));
    const std::pair<std::string, std::string> endpoints[] = {
        {"POST", "/v1/embeddings"},
        {"POST", "/v1/batches"},
        {"GET", "/v1/batches/batch_1"},
        {"POST", "/v1/moderations"},
        {"POST", "/v1/fine_tuning/jobs"},
        {"POST", "/v1/images/variations"},
        {"GET", "/v1/responses/resp_1"},
        {"DELETE", "/v1/responses/resp_1"},
        {"POST", "/v1/responses/resp_1/cancel"},
        {"GET", "/v1/realtime"},
        {"POST", "/v1/realtime/client_secrets"},
        {"POST", "/v1/audio/speech"}};
    for (const auto& [method, path] : endpoints) {
        const HttpReply reply = harness.request(method, path, method == "POST" ? "{}" : "");
        EXPECT_EQ(reply.status, 404) << method << " " << path;
        EXPECT_EQ(
            json::parse(reply.body),
            json::parse(
                R"({"error":{"message":"Unsupported OpenAI /v1 endpoint","type":"invalid_request_error",)"
                R"("code":"unsupported_endpoint","param":null}})"))
            << method << " " << path;
    }
    EXPECT_EQ(harness.request("POST", "/v1/embeddings", "{}", {}, false).status, 401)
        << "only after authentication";
    EXPECT_EQ(harness.modelRequests(), 0);
    EXPECT_EQ(harness.recorded().size(), 0U)
        << "nothing reached the upstream, not even the catalog";
}

TEST(OpenAiV1Test, CompactionIsTheBackendsOnOneAccount) {
    GatewayHarness harness(withV1(threeAccounts()));
    const HttpReply compacted =
        post(harness, "/v1/responses/compact",
             {{"model", "gpt-5.5"}, {"input", "summarize this"}, {"store", false}});
    ASSERT_EQ(compacted.status, 200) << compacted.body;
    const json output = json::parse(compacted.body)["output"];
    ASSERT_TRUE(output.is_array()) << compacted.body;
    EXPECT_EQ(output.back()["type"], "compaction") << compacted.body;
    const auto upstream = harness.recordedAt("/backend-api/codex/responses/compact");
    ASSERT_EQ(upstream.size(), 1U);
    EXPECT_EQ(upstream[0].model.value_or(""), "gpt-5.5");

    const HttpReply unknown =
        post(harness, "/v1/responses/compact", {{"model", "gpt-9"}, {"input", "x"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(json::parse(unknown.body)["error"]["code"], "model_not_available");
    const HttpReply unsupported = post(harness, "/v1/responses/compact",
                                       {{"model", "gpt-5.5"}, {"previous_response_id", "resp_1"}});
    EXPECT_EQ(unsupported.status, 400);
    EXPECT_EQ(json::parse(unsupported.body)["error"]["param"], "previous_response_id");
    EXPECT_EQ(harness.modelRequests(), 1);
}

TEST(OpenAiV1Test, CompactionIsNeverFailedOverAndFailsInTheOpenAiDialect) {
    GatewayHarness harness(
        withV1(threeAccounts("{ mode: error, status: 502 }", "{ mode: error, status: 502 }",
                             "{ mode: error, status: 502 }")));
    const HttpReply failed =
        post(harness, "/v1/responses/compact", {{"model", "gpt-5.5"}, {"input", "x"}});
    EXPECT_EQ(failed.status, 502) << failed.body;
    const json error = json::parse(failed.body)["error"];
    EXPECT_EQ(error["type"], "server_error");
    EXPECT_EQ(error["message"], "upstream request failed") << "the upstream's words stay upstream";
    EXPECT_TRUE(error.contains("param"));
    EXPECT_EQ(harness.modelRequests(), 1) << "one account tried, never another";
}

TEST(OpenAiV1Test, UsageReportsTheCallingKeysRequests) {
    GatewayHarness harness(withV1(threeAccounts()));
    ASSERT_EQ(post(harness, "/v1/chat/completions", chatBody(false)).status, 200);
    ASSERT_EQ(post(harness, "/v1/responses", {{"model", "gpt-5.5"}, {"input", "x"}}).status, 200);
    harness.requestLogsAtLeast(2);
    json usage;
    for (int i = 0; i < 100; ++i) {  // usage rollups are written behind the request log
        usage = json::parse(harness.request("GET", "/v1/usage?days=7").body);
        if (usage.value("request_count", 0) >= 2) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(usage["object"], "usage");
    EXPECT_GE(usage["request_count"].get<int>(), 2);
    EXPECT_GE(usage["input_tokens"].get<int>(), 2400);
    EXPECT_EQ(usage["days"].size(), 1U);
    EXPECT_EQ(harness.request("GET", "/v1/usage?days=0").status, 400);
}

TEST(OpenAiV1Test, TheResponsesWebsocketNeedsAnUpgrade) {
    GatewayHarness harness(withV1(threeAccounts()));
    const HttpReply plain = harness.request("GET", "/v1/responses");
    EXPECT_EQ(plain.status, 426);
    EXPECT_EQ(json::parse(plain.body)["error"]["code"], "upgrade_required");
}

TEST(OpenAiV1Test, AMalformedWebsocketHandshakeIsAnOpenAiError) {
    GatewayHarness harness(withV1(threeAccounts()));
    RawWebSocketClient client(harness.port());
    EXPECT_EQ(client.upgrade("Authorization: Bearer " + harness.key() +
                                 "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n",
                             "/v1/responses"),
              400);
    const json body = json::parse(client.body());
    EXPECT_EQ(body["error"]["code"], "invalid_upgrade");
    EXPECT_EQ(body["error"]["type"], "invalid_request_error");
    EXPECT_EQ(harness.modelRequests(), 0);
}

TEST(OpenAiV1Test, LogsNeitherPromptsNorCompletions) {
    GatewayHarness harness(withV1(threeAccounts("{ mode: normal, text: \"COMPLETION-MARKER\" }",
                                                "{ mode: normal, text: \"COMPLETION-MARKER\" }",
                                                "{ mode: normal, text: \"COMPLETION-MARKER\" }")));
    ASSERT_EQ(post(harness, "/v1/chat/completions", chatBody(false, "PROMPT-MARKER")).status, 200);
    ASSERT_EQ(post(harness, "/v1/responses",
                   {{"model", "gpt-5.5"}, {"input", "PROMPT-MARKER"}, {"stream", true}})
                  .status,
              200);
    std::string logs = harness.gatewayLog();
    for (const auto& row : harness.requestLogsAtLeast(2)) {
        logs += row.routing_json + row.error_code + row.model + row.route;
    }
    for (const std::string& secret :
         {std::string("PROMPT-MARKER"), std::string("COMPLETION-MARKER"), harness.key()}) {
        EXPECT_EQ(logs.find(secret), std::string::npos) << secret;
    }
}

}  // namespace
}  // namespace sluice::integration
