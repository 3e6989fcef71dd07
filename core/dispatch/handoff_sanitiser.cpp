#include "core/dispatch/handoff_sanitiser.hpp"

#include <array>
#include <string_view>

#include "core/dispatch/conversation_history.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

// Item types whose whole meaning lives on the account that produced them.
constexpr std::array<std::string_view, 2> kAccountBoundTypes{"reasoning", "item_reference"};

std::string typeOf(const json& item) {
    const auto type = item.find("type");
    return type != item.end() && type->is_string() ? type->get<std::string>() : std::string();
}

bool isAccountBound(const json& item) {
    const std::string type = typeOf(item);
    for (const std::string_view bound : kAccountBoundTypes) {
        if (type == bound) {
            return true;
        }
    }
    const auto encrypted = item.find("encrypted_content");
    return encrypted != item.end() && !encrypted->is_null();
}

bool namesFile(const json& part) {
    return part.is_object() && part.contains("file_id");
}

// The item as another account may read it; none when nothing of it is left.
std::optional<json> sanitisedItem(const json& item, std::size_t& dropped) {
    if (!item.is_object() || isAccountBound(item)) {
        ++dropped;
        return std::nullopt;
    }
    json out = item;
    out.erase("id");
    const auto content = out.find("content");
    if (content == out.end() || !content->is_array()) {
        return out;
    }
    json kept = json::array();
    for (const json& part : *content) {
        if (namesFile(part)) {
            ++dropped;
        } else {
            kept.push_back(part);
        }
    }
    if (kept.empty() && !content->empty()) {
        return std::nullopt;  // a message made only of foreign files says nothing any more
    }
    *content = std::move(kept);
    return out;
}

}  // namespace

json sanitisedItems(const json& items, std::size_t& dropped) {
    json out = json::array();
    for (const json& item : items) {
        if (auto kept = sanitisedItem(item, dropped)) {
            out.push_back(std::move(*kept));
        }
    }
    return out;
}

std::optional<HandoffReplay> handoffReplay(const json& request, const json& history) {
    std::optional<json> full_input = continuedInput(request, &history);
    if (!full_input) {
        return std::nullopt;
    }
    HandoffReplay replay;
    json body = request;
    body.erase("previous_response_id");
    body["input"] = sanitisedItems(*full_input, replay.dropped_items);
    replay.replayed_items = body["input"].size();
    replay.body = body.dump();
    return replay;
}

}  // namespace sluice::core::dispatch
