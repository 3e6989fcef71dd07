#include "sluice/sdk/testing/schema_config.hpp"

#include <algorithm>
#include <string_view>

namespace sluice::sdk::testing {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

std::string unquote(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
        text.back() == text.front()) {
        return std::string(text.substr(1, text.size() - 2));
    }
    return std::string(text);
}

// YAML text of a default or a value: a flow list "[a, b]" of scalars, or one scalar.
FakeConfig::Ptr nodeOf(std::string_view text) {
    text = trim(text);
    if (text.size() < 2 || text.front() != '[' || text.back() != ']') {
        return FakeConfig::scalar(unquote(text));
    }
    std::vector<FakeConfig::Ptr> items;
    std::string_view rest = trim(text.substr(1, text.size() - 2));
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        items.push_back(FakeConfig::scalar(unquote(rest.substr(0, comma))));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return FakeConfig::sequence(std::move(items));
}

std::vector<std::pair<std::string, FakeConfig::Ptr>> defaultsOf(const ConfigSchema& schema) {
    std::vector<std::pair<std::string, FakeConfig::Ptr>> entries;
    for (const ConfigField& field : schema) {
        if (field.default_value) {
            entries.emplace_back(field.key, nodeOf(*field.default_value));
        } else if (field.type == FieldType::Object) {
            entries.emplace_back(field.key, FakeConfig::map(defaultsOf(field.fields)));
        }
    }
    return entries;
}

}  // namespace

FakeConfig::Ptr configFromSchema(const ConfigSchema& schema, const ConfigValues& values) {
    auto entries = defaultsOf(schema);
    for (const auto& [key, text] : values) {
        const bool known = std::any_of(schema.begin(), schema.end(),
                                       [&](const ConfigField& field) { return field.key == key; });
        if (!known) {
            throw std::invalid_argument("the schema has no key '" + key + "'");
        }
        const auto existing = std::find_if(entries.begin(), entries.end(),
                                           [&](const auto& entry) { return entry.first == key; });
        if (existing != entries.end()) {
            existing->second = nodeOf(text);
        } else {
            entries.emplace_back(key, nodeOf(text));
        }
    }
    return FakeConfig::map(std::move(entries));
}

}  // namespace sluice::sdk::testing
