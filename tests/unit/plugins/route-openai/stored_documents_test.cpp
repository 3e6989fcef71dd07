#include "stored_documents.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

TEST(StoredDocumentsTest, AKeptResponseSaysStoredAndItsInputItemsGetIds) {
    const json input = json::parse(
        R"([{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},
            {"type":"function_call_output","call_id":"c1","output":"ok","id":"fc_out_1"}])");
    const json document =
        responseDocument({{"id", "resp_abc"}, {"store", false}}, input, {{"k", "v"}});
    EXPECT_EQ(document["response"]["store"], true);
    EXPECT_EQ(document["response"]["metadata"]["k"], "v");
    EXPECT_EQ(document["input_items"][0]["id"], "msg_abc_0");
    EXPECT_EQ(document["input_items"][1]["id"], "fc_out_1");
}

TEST(StoredDocumentsTest, AKeptChatCompletionKeepsItsRequestMessagesWithIds) {
    const json messages = json::parse(
        R"([{"role":"system","content":"be brief"},
            {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},
            "not a message"])");
    const json document =
        chatDocument({{"id", "chatcmpl-1"}, {"object", "chat.completion"}}, {{"k", "v"}}, messages);
    EXPECT_EQ(document["completion"]["object"], "chat.completion");
    EXPECT_EQ(document["completion"]["metadata"]["k"], "v");
    ASSERT_EQ(document["messages"].size(), 2U);
    EXPECT_EQ(document["messages"][0]["id"], "chatcmpl-1-0");
    EXPECT_EQ(document["messages"][0]["content"], "be brief");
    EXPECT_EQ(document["messages"][0]["content_parts"], nullptr);
    EXPECT_EQ(document["messages"][1]["id"], "chatcmpl-1-1");
    EXPECT_EQ(document["messages"][1]["content"], "ab");
    EXPECT_EQ(document["messages"][1]["content_parts"].size(), 2U);
    EXPECT_TRUE(chatDocument({{"id", "c"}}, json::object(), nullptr)["messages"].empty());
}

TEST(StoredDocumentsTest, ListQueriesAreParsedAndBadValuesNamed) {
    const auto parsed = parseListQuery(
        "after=chatcmpl-1&limit=5&order=asc&model=gpt-5.5&metadata%5Bk%5D=v", false, true);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value().after, "chatcmpl-1");
    EXPECT_EQ(parsed.value().limit, 5U);
    EXPECT_TRUE(parsed.value().ascending);
    EXPECT_EQ(parsed.value().model, "gpt-5.5");
    ASSERT_EQ(parsed.value().metadata.size(), 1U);
    EXPECT_EQ(parsed.value().metadata[0], (std::pair<std::string, std::string>{"k", "v"}));
    EXPECT_TRUE(parseListQuery("", true, false).value().ascending);
    EXPECT_EQ(parseListQuery("limit=0", false, false).error().param, "limit");
    EXPECT_EQ(parseListQuery("limit=101", false, false).error().param, "limit");
    EXPECT_EQ(parseListQuery("order=up", false, false).error().param, "order");
    EXPECT_EQ(parseListQuery("model=x", false, false).error().code, "unsupported_parameter");
}

TEST(StoredDocumentsTest, MetadataFiltersNeedEveryPair) {
    const ListQuery query{"", 20, false, "", {{"a", "1"}, {"b", "2"}}};
    EXPECT_TRUE(metadataMatches({{"metadata", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}}, query));
    EXPECT_FALSE(metadataMatches({{"metadata", {{"a", "1"}}}}, query));
    EXPECT_FALSE(metadataMatches({{"id", "x"}}, query));
}

TEST(StoredDocumentsTest, ItemPagesFollowOrderAfterAndLimit) {
    const json items = json::parse(R"([{"id":"i0"},{"id":"i1"},{"id":"i2"}])");
    ListQuery query;
    query.limit = 2;
    const json newest = itemsPage(items, query);
    EXPECT_EQ(newest["object"], "list");
    EXPECT_EQ(newest["data"][0]["id"], "i2");
    EXPECT_EQ(newest["first_id"], "i2");
    EXPECT_EQ(newest["last_id"], "i1");
    EXPECT_EQ(newest["has_more"], true);
    query.after = "i1";
    const json rest = itemsPage(items, query);
    ASSERT_EQ(rest["data"].size(), 1U);
    EXPECT_EQ(rest["data"][0]["id"], "i0");
    EXPECT_EQ(rest["has_more"], false);
    query.ascending = true;
    query.after = "missing";
    EXPECT_TRUE(itemsPage(items, query)["data"].empty());
    EXPECT_EQ(itemsPage(json::array(), ListQuery{})["first_id"], nullptr);
}

}  // namespace
}  // namespace sluice::plugins::route_openai
