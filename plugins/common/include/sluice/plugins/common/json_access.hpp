#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sluice::plugins::common {

// Reads of client- and upstream-supplied JSON that never throw: a missing member or one of
// the wrong type reads as the fallback. (nlohmann's value() throws on a type mismatch.)

/// The member `key` of `object`, or null when `object` is not an object or lacks it.
inline const nlohmann::json& member(const nlohmann::json& object, const char* key) {
    static const nlohmann::json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

inline std::string textOf(const nlohmann::json& object, const char* key,
                          const std::string& fallback = {}) {
    const nlohmann::json& value = member(object, key);
    return value.is_string() ? value.get<std::string>() : fallback;
}

inline bool flagOf(const nlohmann::json& object, const char* key, bool fallback) {
    const nlohmann::json& value = member(object, key);
    return value.is_boolean() ? value.get<bool>() : fallback;
}

/// A non-negative integer member (token counts, indexes), or nullopt.
inline std::optional<std::uint64_t> countOf(const nlohmann::json& object, const char* key) {
    const nlohmann::json& value = member(object, key);
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(value.get<std::int64_t>());
    }
    return std::nullopt;
}

inline bool isString(const nlohmann::json& object, const char* key) {
    return member(object, key).is_string();
}

}  // namespace sluice::plugins::common
