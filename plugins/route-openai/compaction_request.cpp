#include "compaction_request.hpp"

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

void append(json& conversation, const json& items) {
    if (!items.is_array()) {
        return;
    }
    for (const json& item : items) {
        conversation.push_back(item);
    }
}

bool isCompaction(const json& item) {
    return textOf(item, "type") == "compaction" && isString(item, "encrypted_content");
}

}  // namespace

Translated<CompactionCall> compactionCall(const json& document, const std::string& id) {
    const json& response = member(document, "response");
    const std::string status = textOf(response, "status");
    if (status != "completed" && status != "incomplete") {
        return notCompactable(id, "it has not finished (status '" + status + "')");
    }
    const json& output = member(response, "output");
    if (!output.is_array() || output.empty()) {
        return notCompactable(id, "it has no output");
    }
    CompactionCall compaction;
    compaction.conversation = json::array();
    append(compaction.conversation, member(document, "input_items"));
    append(compaction.conversation, output);

    json input = json::array();
    for (json item : compaction.conversation) {
        if (item.is_object()) {
            item.erase("id");
        }
        input.push_back(std::move(item));
    }
    input.push_back({{"type", "compaction_trigger"}});
    json request{{"model", textOf(response, "model")}, {"input", std::move(input)}};
    if (isString(response, "instructions")) {
        request["instructions"] = response["instructions"];
    }
    auto call = normalizeResponsesRequest(request);
    if (!call.ok()) {
        return call.error();
    }
    compaction.call = std::move(call).value();
    return compaction;
}

Translated<json> compactionAnswer(const json& response, const json& conversation) {
    const json& output = member(response, "output");
    if (!output.is_array() || output.size() != 1 || !isCompaction(output[0])) {
        return upstreamError("upstream_compaction_malformed");
    }
    json items = json::array();
    for (const json& item : conversation) {
        if (textOf(item, "type") == "message" && textOf(item, "role") == "user") {
            items.push_back(item);
        }
    }
    items.push_back(output[0]);
    return json{{"id", textOf(response, "id")},
                {"object", "response.compaction"},
                {"created_at", member(response, "created_at")},
                {"output", std::move(items)},
                {"usage", member(response, "usage")}};
}

}  // namespace sluice::plugins::route_openai
