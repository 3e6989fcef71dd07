#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sluice::plugins::route_runner {

/// `object[key]` when it is a string, else "" — for documents edited by hand (meta.json, trigger
/// files), where json::value() would throw on a null or a number. Any thread.
inline std::string textField(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `object[key]` when it is a boolean, else `fallback`.
inline bool flagField(const nlohmann::json& object, std::string_view key, bool fallback) {
    if (!object.is_object()) {
        return fallback;
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace sluice::plugins::route_runner
