// The opt-in response store of route-openai in the gateway against the emulator: answers kept
// for the key that created them, sealed in the SQLite file, served back in OpenAI's shapes,
// expired by retention; with the store off the routes stay unsupported and never dispatch.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/control/credential_service.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

constexpr const char* kMarker = "marker-prompt-7f3a9c-never-in-plaintext";

HarnessOptions withStore(const std::string& config) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-openai"};
    o.extra_routes = {"{ family: openai_v1, config: " + config + " }"};
    return o;
}

json jsonOf(const HttpReply& reply) {
    return json::parse(reply.body, nullptr, false);
}

std::string createResponse(GatewayHarness& harness, bool stream, const std::string& text) {
    const json body{{"model", "gpt-5.5"}, {"input", text}, {"stream", stream}};
    const HttpReply created = harness.request("POST", "/v1/responses", body.dump());
    EXPECT_EQ(created.status, 200) << created.body;
    if (!stream) {
        return jsonOf(created)["id"];
    }
    const std::size_t at = created.body.find("\"id\":\"resp_");
    EXPECT_NE(at, std::string::npos) << created.body;
    return created.body.substr(at + 6, created.body.find('"', at + 6) - at - 6);
}

sdk::Headers bearer(const std::string& key) {
    return {{"Authorization", "Bearer " + key}};
}

std::string otherKey(GatewayHarness& harness) {
    auto issued = core::control::CredentialService(harness.control()).createKey("team", "b", "t");
    EXPECT_TRUE(issued.ok());
    return issued->raw;
}

TEST(OpenAiV1StoreTest, AResponseIsServedToItsKeyAndIsNotFoundForAnother) {
    GatewayHarness harness(withStore("{ response_store: true }"));
    const std::string id = createResponse(harness, false, "hello store");
    const HttpReply got = harness.request("GET", "/v1/responses/" + id);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(jsonOf(got)["id"], id);
    EXPECT_EQ(jsonOf(got)["store"], true);

    const HttpReply items = harness.request("GET", "/v1/responses/" + id + "/input_items");
    ASSERT_EQ(items.status, 200) << items.body;
    EXPECT_EQ(jsonOf(items)["object"], "list");
    EXPECT_EQ(jsonOf(items)["data"][0]["content"][0]["text"], "hello store") << items.body;

    const std::string key_b = otherKey(harness);
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/responses/" + id},
             {"GET", "/v1/responses/" + id + "/input_items"},
             {"DELETE", "/v1/responses/" + id},
             {"POST", "/v1/responses/" + id + "/cancel"}}) {
        const HttpReply reply = harness.request(method, path, "", bearer(key_b), false);
        EXPECT_EQ(reply.status, 404) << method << " " << path << " " << reply.body;
        EXPECT_EQ(jsonOf(reply)["error"]["code"], "not_found");
    }
    const HttpReply cancel = harness.request("POST", "/v1/responses/" + id + "/cancel");
    EXPECT_EQ(cancel.status, 400);
    EXPECT_EQ(jsonOf(cancel)["error"]["code"], "response_not_cancellable");

    EXPECT_EQ(harness.request("DELETE", "/v1/responses/" + id).status, 200);
    EXPECT_EQ(harness.request("GET", "/v1/responses/" + id).status, 404);

    const json refused{{"model", "gpt-5.5"}, {"input", "do not keep"}, {"store", false}};
    const HttpReply unkept = harness.request("POST", "/v1/responses", refused.dump());
    ASSERT_EQ(unkept.status, 200) << unkept.body;
    EXPECT_EQ(
        harness.request("GET", "/v1/responses/" + jsonOf(unkept)["id"].get<std::string>()).status,
        404)
        << "store: false keeps nothing";
}

TEST(OpenAiV1StoreTest, StreamedAnswersAreKeptAndChatCompletionsListUpdateAndDelete) {
    GatewayHarness harness(withStore("{ response_store: true }"));
    const std::string id = createResponse(harness, true, "streamed");
    EXPECT_EQ(harness.request("GET", "/v1/responses/" + id).status, 200);

    std::vector<std::string> chats;
    for (const char* topic : {"a", "b", "c"}) {
        const json body{{"model", "gpt-5.5"},
                        {"store", true},
                        {"metadata", {{"topic", topic}}},
                        {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
        const HttpReply created = harness.request("POST", "/v1/chat/completions", body.dump());
        ASSERT_EQ(created.status, 200) << created.body;
        chats.push_back(jsonOf(created)["id"]);
    }
    const json streamed{{"model", "gpt-5.5"},
                        {"store", true},
                        {"stream", true},
                        {"messages", {{{"role", "user"}, {"content", "streamed chat"}}}}};
    const HttpReply chunks = harness.request("POST", "/v1/chat/completions", streamed.dump());
    ASSERT_EQ(chunks.status, 200) << chunks.body;
    const std::size_t at = chunks.body.find("\"id\":\"chatcmpl-");
    ASSERT_NE(at, std::string::npos) << chunks.body;
    const std::string streamed_id =
        chunks.body.substr(at + 6, chunks.body.find('"', at + 6) - at - 6);
    const json kept = jsonOf(harness.request("GET", "/v1/chat/completions/" + streamed_id));
    EXPECT_EQ(kept["object"], "chat.completion") << kept.dump();
    EXPECT_FALSE(kept["choices"][0]["message"]["content"].get<std::string>().empty());
    ASSERT_EQ(harness.request("DELETE", "/v1/chat/completions/" + streamed_id).status, 200);

    const json unstored{{"model", "gpt-5.5"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}};
    ASSERT_EQ(harness.request("POST", "/v1/chat/completions", unstored.dump()).status, 200);

    const json all = jsonOf(harness.request("GET", "/v1/chat/completions"));
    ASSERT_EQ(all["data"].size(), 3U) << all.dump();
    EXPECT_EQ(all["data"][0]["id"], chats[0]) << "oldest first by default";
    const json page = jsonOf(
        harness.request("GET", "/v1/chat/completions?limit=1&after=" + chats[0] + "&order=asc"));
    EXPECT_EQ(page["data"][0]["id"], chats[1]);
    EXPECT_EQ(page["has_more"], true);
    const json filtered = jsonOf(harness.request("GET", "/v1/chat/completions?metadata[topic]=b"));
    ASSERT_EQ(filtered["data"].size(), 1U);
    EXPECT_EQ(filtered["data"][0]["id"], chats[1]);

    const HttpReply updated = harness.request("POST", "/v1/chat/completions/" + chats[2],
                                              json{{"metadata", {{"topic", "z"}}}}.dump());
    ASSERT_EQ(updated.status, 200) << updated.body;
    EXPECT_EQ(
        jsonOf(harness.request("GET", "/v1/chat/completions/" + chats[2]))["metadata"]["topic"],
        "z");
    const HttpReply deleted = harness.request("DELETE", "/v1/chat/completions/" + chats[2]);
    EXPECT_EQ(jsonOf(deleted)["deleted"], true);
    EXPECT_EQ(harness.request("GET", "/v1/chat/completions/" + chats[2]).status, 404);
    EXPECT_EQ(harness.request("GET", "/v1/chat/completions", "", bearer(otherKey(harness)), false)
                  .body.find(chats[0]),
              std::string::npos)
        << "another key lists nothing of key A";
}

TEST(OpenAiV1StoreTest, AKeptResponseIsCompactedByADispatchedTurnAndKeptAsANewResponse) {
    GatewayHarness harness(withStore("{ response_store: true }"));
    const std::string id = createResponse(harness, false, "compact me");
    const std::size_t before = harness.recorded().size();

    const HttpReply compacted = harness.request("POST", "/v1/responses/" + id + "/compact");
    ASSERT_EQ(compacted.status, 200) << compacted.body;
    const json answer = jsonOf(compacted);
    EXPECT_EQ(answer["object"], "response.compaction");
    ASSERT_EQ(answer["output"].size(), 2U) << answer.dump();
    EXPECT_EQ(answer["output"][0]["role"], "user");
    EXPECT_EQ(answer["output"][0]["content"][0]["text"], "compact me");
    EXPECT_EQ(answer["output"][1]["type"], "compaction");
    EXPECT_EQ(
        answer["output"][1]["encrypted_content"].get<std::string>().rfind("emu-compaction.", 0),
        0U);
    EXPECT_EQ(answer["usage"]["total_tokens"], 1220);

    const auto recorded = harness.recorded();
    ASSERT_EQ(recorded.size(), before + 1) << "one upstream turn";
    EXPECT_EQ(recorded.back().path, "/backend-api/codex/responses");
    EXPECT_EQ(recorded.back().last_input_type, "compaction_trigger");
    EXPECT_EQ(recorded.back().input_items, 3U) << "the question, the answer, the trigger";
    bool logged = false;
    for (const auto& log : harness.requestLogsAtLeast(2)) {
        if (log.route == "openai.responses_compact_stored") {
            logged = true;
            EXPECT_EQ(log.status, 200);
            EXPECT_EQ(log.input_tokens, 1200U) << "usage settled as for any turn";
        }
    }
    EXPECT_TRUE(logged);

    const std::string compacted_id = answer["id"];
    ASSERT_NE(compacted_id, id);
    const json kept = jsonOf(harness.request("GET", "/v1/responses/" + compacted_id));
    EXPECT_EQ(kept["object"], "response") << kept.dump();
    EXPECT_EQ(kept["output"][0]["type"], "compaction");
    const json items =
        jsonOf(harness.request("GET", "/v1/responses/" + compacted_id + "/input_items?order=asc"));
    ASSERT_EQ(items["data"].size(), 2U) << "its input is the compacted conversation";
    EXPECT_EQ(items["data"][0]["content"][0]["text"], "compact me");
    EXPECT_EQ(items["data"][1]["role"], "assistant");

    const std::size_t after = harness.recorded().size();
    const HttpReply foreign = harness.request("POST", "/v1/responses/" + id + "/compact", "",
                                              bearer(otherKey(harness)), false);
    EXPECT_EQ(foreign.status, 404) << foreign.body;
    EXPECT_EQ(jsonOf(foreign)["error"]["code"], "not_found");
    EXPECT_EQ(harness.request("POST", "/v1/responses/resp_unknown/compact").status, 404);
    const HttpReply extra =
        harness.request("POST", "/v1/responses/" + id + "/compact", R"({"model":"gpt-5.5"})");
    EXPECT_EQ(extra.status, 400);
    EXPECT_EQ(jsonOf(extra)["error"]["code"], "unsupported_parameter");
    EXPECT_EQ(harness.recorded().size(), after) << "refusals dispatch nothing";
}

TEST(OpenAiV1StoreTest, AStoredChatCompletionListsItsRequestMessages) {
    GatewayHarness harness(withStore("{ response_store: true }"));
    const json body{{"model", "gpt-5.5"},
                    {"store", true},
                    {"messages",
                     {{{"role", "system"}, {"content", "be brief"}},
                      {{"role", "user"}, {"content", {{{"type", "text"}, {"text", "hello"}}}}}}}};
    const HttpReply created = harness.request("POST", "/v1/chat/completions", body.dump());
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string id = jsonOf(created)["id"];

    const HttpReply listed = harness.request("GET", "/v1/chat/completions/" + id + "/messages");
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json page = jsonOf(listed);
    EXPECT_EQ(page["object"], "list");
    ASSERT_EQ(page["data"].size(), 2U) << page.dump();
    EXPECT_EQ(page["data"][0]["role"], "system") << "oldest first by default";
    EXPECT_EQ(page["data"][0]["content"], "be brief");
    EXPECT_EQ(page["data"][1]["content"], "hello");
    EXPECT_EQ(page["data"][1]["content_parts"][0]["text"], "hello");
    const json first = jsonOf(
        harness.request("GET", "/v1/chat/completions/" + id + "/messages?order=desc&limit=1"));
    ASSERT_EQ(first["data"].size(), 1U);
    EXPECT_EQ(first["data"][0]["role"], "user");
    EXPECT_EQ(first["has_more"], true);
    const json rest =
        jsonOf(harness.request("GET", "/v1/chat/completions/" + id + "/messages?order=desc&after=" +
                                          first["last_id"].get<std::string>()));
    ASSERT_EQ(rest["data"].size(), 1U);
    EXPECT_EQ(rest["data"][0]["role"], "system");
    EXPECT_EQ(harness.request("GET", "/v1/chat/completions/" + id + "/messages?limit=0").status,
              400);
    EXPECT_EQ(harness
                  .request("GET", "/v1/chat/completions/" + id + "/messages", "",
                           bearer(otherKey(harness)), false)
                  .status,
              404);
}

TEST(OpenAiV1StoreTest, TheDatabaseHoldsNoPlaintextPromptAndLogsNoBody) {
    GatewayHarness harness(withStore("{ response_store: true }"));
    const std::string id = createResponse(harness, false, kMarker);
    ASSERT_NE(harness.request("GET", "/v1/responses/" + id + "/input_items").body.find(kMarker),
              std::string::npos);
    // Written by now (the lookup above waited for it); WAL mode keeps recent pages beside the file.
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream file(harness.databasePath().string() + suffix, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(file), {});
    }
    auto& rows = dynamic_cast<sdk::StoresResponses&>(harness.runtime().storage()).responses();
    ASSERT_TRUE(rows.get(id).ok()) << "the answer is in the file, sealed";
    EXPECT_EQ(bytes.find(kMarker), std::string::npos) << "the prompt is sealed";
    EXPECT_EQ(harness.gatewayLog().find(kMarker), std::string::npos);
}

TEST(OpenAiV1StoreTest, AnExpiredAnswerIsGoneAndPurgedBehind) {
    GatewayHarness harness(withStore("{ response_store: true, response_store_retention: 1s }"));
    const std::string id = createResponse(harness, false, "short-lived");
    ASSERT_EQ(harness.request("GET", "/v1/responses/" + id).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the host clock is real here
    EXPECT_EQ(harness.request("GET", "/v1/responses/" + id).status, 404) << "never served expired";
    auto& rows = dynamic_cast<sdk::StoresResponses&>(harness.runtime().storage()).responses();
    ASSERT_TRUE(rows.get(id).ok()) << "the request path does not purge";
    harness.gateway().responseVault()->purgeExpired();
    EXPECT_EQ(rows.get(id).status().code(), sdk::StatusCode::NotFound);
}

TEST(OpenAiV1StoreTest, ThePipelineSetsHowOftenExpiredAnswersArePurged) {
    HarnessOptions options = withStore("{ response_store: true, response_store_retention: 1s }");
    options.response_store_yaml = "{ purge_interval: 100ms, read_wait: 5s, queue_limit: 100 }";
    GatewayHarness harness(options);
    const std::string id = createResponse(harness, false, "purged behind");
    ASSERT_EQ(harness.request("GET", "/v1/responses/" + id).status, 200);
    auto& rows = dynamic_cast<sdk::StoresResponses&>(harness.runtime().storage()).responses();
    // The default interval is a minute; with 100ms the row is gone soon after it expires.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (rows.get(id).ok() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(rows.get(id).status().code(), sdk::StatusCode::NotFound);
}

TEST(OpenAiV1StoreTest, WithTheStoreOffTheRoutesAreUnsupportedAndNothingIsDispatched) {
    GatewayHarness harness(withStore("{ response_store: false }"));
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/responses/resp_1"},
             {"DELETE", "/v1/responses/resp_1"},
             {"GET", "/v1/responses/resp_1/input_items"},
             {"POST", "/v1/responses/resp_1/cancel"},
             {"POST", "/v1/responses/resp_1/compact"},
             {"GET", "/v1/chat/completions"},
             {"GET", "/v1/chat/completions/chatcmpl-1"},
             {"GET", "/v1/chat/completions/chatcmpl-1/messages"},
             {"POST", "/v1/chat/completions/chatcmpl-1"},
             {"PATCH", "/v1/chat/completions/chatcmpl-1"},
             {"DELETE", "/v1/chat/completions/chatcmpl-1"}}) {
        const HttpReply reply = harness.request(method, path, method == "GET" ? "" : "{}");
        EXPECT_EQ(reply.status, 404) << method << " " << path;
        EXPECT_EQ(jsonOf(reply)["error"]["code"], "unsupported_endpoint") << method << " " << path;
    }
    EXPECT_EQ(harness.recorded().size(), 0U) << "the emulator saw nothing";
}

}  // namespace
}  // namespace sluice::integration
