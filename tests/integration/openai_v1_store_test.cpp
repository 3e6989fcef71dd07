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
