#include "stored_documents.hpp"

#include <algorithm>
#include <charconv>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

constexpr std::uint32_t kMaxLimit = 100;

std::string derivedItemId(const json& response, std::size_t index) {
    std::string id = textOf(response, "id");
    if (id.rfind("resp_", 0) == 0) {
        id.erase(0, 5);
    }
    return "msg_" + id + "_" + std::to_string(index);
}

// A request message as the messages list shows it.
json storedMessage(json message, const std::string& id) {
    message["id"] = id;
    const json& content = member(message, "content");
    if (!content.is_array()) {
        message["content_parts"] = nullptr;
        return message;
    }
    std::string text;
    for (const json& part : content) {
        text += textOf(part, "text");
    }
    message["content_parts"] = content;
    message["content"] = text;
    return message;
}

}  // namespace

json responseDocument(json response, const json& input, const json& metadata) {
    json items = input.is_array() ? input : json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_object() && !isString(items[i], "id")) {
            items[i]["id"] = derivedItemId(response, i);
        }
    }
    response["store"] = true;
    response["metadata"] = metadata;
    return {{"response", std::move(response)}, {"input_items", std::move(items)}};
}

json chatDocument(json completion, const json& metadata, const json& messages) {
    completion["metadata"] = metadata;
    json kept = json::array();
    const std::string id = textOf(completion, "id");
    for (std::size_t i = 0; messages.is_array() && i < messages.size(); ++i) {
        if (messages[i].is_object()) {
            kept.push_back(storedMessage(messages[i], id + "-" + std::to_string(i)));
        }
    }
    return {{"completion", std::move(completion)}, {"messages", std::move(kept)}};
}

Translated<ListQuery> parseListQuery(std::string_view query, bool default_ascending, bool filters) {
    ListQuery parsed;
    parsed.ascending = default_ascending;
    for (auto& [name, value] : common::parseQuery(query)) {
        if (name == "after") {
            parsed.after = std::move(value);
        } else if (name == "limit") {
            std::uint32_t limit = 0;
            const auto [end, error] =
                std::from_chars(value.data(), value.data() + value.size(), limit);
            if (error != std::errc() || end != value.data() + value.size() || limit < 1 ||
                limit > kMaxLimit) {
                return invalidValue("limit", "'limit' must be an integer from 1 to 100.");
            }
            parsed.limit = limit;
        } else if (name == "order") {
            if (value != "asc" && value != "desc") {
                return invalidValue("order", "'order' must be 'asc' or 'desc'.");
            }
            parsed.ascending = value == "asc";
        } else if (filters && name == "model") {
            parsed.model = std::move(value);
        } else if (filters && name.rfind("metadata[", 0) == 0 && name.back() == ']' &&
                   name.size() > 10) {
            parsed.metadata.emplace_back(name.substr(9, name.size() - 10), std::move(value));
        } else if (name != "include") {
            return unsupportedParameter(name);
        }
    }
    return parsed;
}

bool metadataMatches(const json& object, const ListQuery& query) {
    const json& metadata = member(object, "metadata");
    for (const auto& [key, value] : query.metadata) {
        if (!isString(metadata, key.c_str()) || textOf(metadata, key.c_str()) != value) {
            return false;
        }
    }
    return true;
}

json listPage(std::vector<json> data, bool has_more) {
    json page{{"object", "list"},
              {"first_id", data.empty() ? json(nullptr) : json(textOf(data.front(), "id"))},
              {"last_id", data.empty() ? json(nullptr) : json(textOf(data.back(), "id"))},
              {"has_more", has_more}};
    page["data"] = std::move(data);
    return page;
}

json itemsPage(const json& items, const ListQuery& query) {
    std::vector<json> ordered(items.begin(), items.end());
    if (!query.ascending) {
        std::reverse(ordered.begin(), ordered.end());
    }
    auto first = ordered.begin();
    if (!query.after.empty()) {
        first = std::find_if(ordered.begin(), ordered.end(),
                             [&](const json& item) { return textOf(item, "id") == query.after; });
        first = first == ordered.end() ? first : first + 1;
    }
    const auto available = static_cast<std::size_t>(ordered.end() - first);
    const auto last =
        first + static_cast<std::ptrdiff_t>(std::min<std::size_t>(available, query.limit));
    return listPage(std::vector<json>(first, last), last != ordered.end());
}

}  // namespace sluice::plugins::route_openai
