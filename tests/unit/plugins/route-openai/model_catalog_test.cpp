#include "model_catalog.hpp"

#include <gtest/gtest.h>

#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

common::ModelsCache::Entry catalog() {
    common::ModelsCache::Entry entry;
    entry.body = R"({"models":[
        {"slug":"gpt-5.5","display_name":"GPT-5.5","context_window":272000,
         "effective_context_window_percent":95,"input_modalities":["text","image"],
         "supported_reasoning_levels":[{"effort":"low"},{"effort":"high"}]},
        {"slug":"gpt-5.5-mini","visibility":"hide"}]})";
    entry.models = {{"gpt-5.5", true, 1700000000}, {"gpt-5.5-mini", false, 1700000100}};
    return entry;
}

TEST(ModelCatalog, RetrievesOneModelAsAnOpenAiModelObject) {
    const auto model = ModelCatalog::model(catalog(), "gpt-5.5");
    ASSERT_TRUE(model.has_value());
    EXPECT_EQ(*model, json::parse(R"({"id":"gpt-5.5","object":"model","created":1700000000,
        "owned_by":"sluice","display_name":"GPT-5.5","context_length":258400,
        "input_modalities":["text","image"],"reasoning_efforts":["low","high"]})"));
}

TEST(ModelCatalog, RetrievesAHiddenModelThatTheListLeavesOut) {
    const auto hidden = ModelCatalog::model(catalog(), "gpt-5.5-mini");
    ASSERT_TRUE(hidden.has_value());
    EXPECT_EQ((*hidden)["id"], "gpt-5.5-mini");
    EXPECT_EQ((*hidden)["created"], 1700000100);
    EXPECT_EQ((*hidden)["reasoning_efforts"], json::array());

    const json list = ModelCatalog::list(catalog());
    ASSERT_EQ(list["data"].size(), 1u);
    EXPECT_EQ(list["data"][0]["id"], "gpt-5.5");
}

TEST(ModelCatalog, AnUnknownModelIsNotFound) {
    EXPECT_FALSE(ModelCatalog::model(catalog(), "gpt-9").has_value());
    EXPECT_FALSE(ModelCatalog::model(catalog(), "").has_value());

    const sdk::ErrorInfo error = modelNotFound("gpt-9");
    EXPECT_EQ(error.http_status, 404);
    EXPECT_EQ(error.type, "invalid_request_error");
    EXPECT_EQ(error.code, "model_not_found");
    EXPECT_EQ(error.param, "model");
    EXPECT_EQ(error.message, "The model 'gpt-9' does not exist in this pool.");
}

}  // namespace
}  // namespace sluice::plugins::route_openai
