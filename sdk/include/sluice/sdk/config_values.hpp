#pragma once

// Typed reads of a validated ConfigNode. The host has checked types and applied schema
// defaults, so these only throw ConfigError when a plugin reads a key its schema lacks.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/units.hpp"

namespace sluice::sdk::config {

inline const ConfigNode& child(const ConfigNode& node, std::string_view key) {
    const ConfigNode* value = node.get(key);
    if (value == nullptr) {
        throw ConfigError(node.path(), "missing key '" + std::string(key) + "'");
    }
    return *value;
}

inline bool has(const ConfigNode& node, std::string_view key) {
    const ConfigNode* value = node.get(key);
    return value != nullptr && value->kind() != ConfigKind::Null;
}

inline std::string getString(const ConfigNode& node, std::string_view key) {
    return child(node, key).scalar();
}

inline std::int64_t getInt(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    try {
        std::size_t used = 0;
        const long long parsed = std::stoll(value.scalar(), &used);
        if (used == value.scalar().size()) {
            return parsed;
        }
    } catch (const std::exception&) {
    }
    throw ConfigError(value.path(), "expected an integer");
}

inline double getNumber(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    try {
        std::size_t used = 0;
        const double parsed = std::stod(value.scalar(), &used);
        if (used == value.scalar().size()) {
            return parsed;
        }
    } catch (const std::exception&) {
    }
    throw ConfigError(value.path(), "expected a number");
}

inline bool getBool(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    if (value.scalar() == "true") {
        return true;
    }
    if (value.scalar() == "false") {
        return false;
    }
    throw ConfigError(value.path(), "expected true or false");
}

inline std::chrono::milliseconds getDuration(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    if (const auto parsed = parseDuration(value.scalar())) {
        return *parsed;
    }
    throw ConfigError(value.path(), "expected a duration such as 30s");
}

inline std::uint64_t getSize(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    if (const auto parsed = parseSize(value.scalar())) {
        return *parsed;
    }
    throw ConfigError(value.path(), "expected a size such as 16MiB");
}

inline std::vector<std::string> getStringList(const ConfigNode& node, std::string_view key) {
    const ConfigNode& value = child(node, key);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        out.push_back(value.at(i)->scalar());
    }
    return out;
}

}  // namespace sluice::sdk::config
