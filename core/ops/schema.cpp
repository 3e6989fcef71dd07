#include "core/ops/schema.hpp"

namespace sluice::core::ops::schema {

namespace {

json object(const Members& members, const std::vector<std::string>& required, bool closed) {
    json properties = json::object();
    for (const auto& [name, member] : members) {
        properties[name] = member;
    }
    json result{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) {
        result["required"] = required;
    }
    if (closed) {
        result["additionalProperties"] = false;
    }
    return result;
}

}  // namespace

json params(const Members& members, const std::vector<std::string>& required) {
    return object(members, required, true);
}

json shape(const Members& members, const std::vector<std::string>& required) {
    return object(members, required, false);
}

json anyObject(const std::string& description) {
    return {{"type", "object"}, {"description", description}};
}

json text(const std::string& description, std::size_t max_length) {
    return {{"type", "string"},
            {"minLength", 1},
            {"maxLength", max_length},
            {"description", description}};
}

json integer(const std::string& description, std::int64_t minimum, std::int64_t maximum) {
    return {{"type", "integer"},
            {"minimum", minimum},
            {"maximum", maximum},
            {"description", description}};
}

json integer(const std::string& description) {
    return {{"type", "integer"}, {"description", description}};
}

json number(const std::string& description) {
    return {{"type", "number"}, {"description", description}};
}

json boolean(const std::string& description) {
    return {{"type", "boolean"}, {"description", description}};
}

json oneOf(const std::string& description, const std::vector<std::string>& values) {
    return {{"type", "string"}, {"enum", values}, {"description", description}};
}

json listOf(const json& item, const std::string& description) {
    json result{{"type", "array"}, {"items", item}};
    if (!description.empty()) {
        result["description"] = description;
    }
    return result;
}

json nullable(json schema) {
    const json type = schema["type"];
    schema["type"] = type.is_array() ? type : json::array({type});
    schema["type"].push_back("null");
    if (schema.contains("enum")) {
        schema["enum"].push_back(nullptr);
    }
    return schema;
}

}  // namespace sluice::core::ops::schema
