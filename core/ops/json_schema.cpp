#include "core/ops/json_schema.hpp"

#include <algorithm>

namespace sluice::core::ops {

namespace {

using json = nlohmann::json;

bool hasType(const json& value, const std::string& type) {
    if (type == "object")
        return value.is_object();
    if (type == "array")
        return value.is_array();
    if (type == "string")
        return value.is_string();
    if (type == "integer")
        return value.is_number_integer();
    if (type == "number")
        return value.is_number();
    if (type == "boolean")
        return value.is_boolean();
    if (type == "null")
        return value.is_null();
    return false;
}

// JSON Schema lengths count characters (code points), not UTF-8 bytes.
std::size_t characters(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char byte) {
        return (static_cast<unsigned char>(byte) & 0xC0U) != 0x80U;  // not a continuation byte
    }));
}

std::string at(const std::string& path) {
    return path.empty() ? "value" : path;
}

std::string join(const std::string& path, const std::string& member) {
    return path.empty() ? member : path + "." + member;
}

std::optional<std::string> typeViolation(const json& schema, const json& value,
                                         const std::string& path) {
    const auto type = schema.find("type");
    if (type == schema.end()) {
        return std::nullopt;
    }
    if (type->is_string()) {
        if (hasType(value, type->get<std::string>())) {
            return std::nullopt;
        }
        const std::string name = type->get<std::string>();
        return at(path) + ": must be " +
               (name == "integer" || name == "object" || name == "array" ? "an " : "a ") + name;
    }
    std::string names;
    for (const auto& name : *type) {
        if (hasType(value, name.get<std::string>())) {
            return std::nullopt;
        }
        names += (names.empty() ? "" : " or ") + name.get<std::string>();
    }
    return at(path) + ": must be " + names;
}

}  // namespace

std::optional<std::string> schemaViolation(const json& schema, const json& value,
                                           const std::string& path) {
    if (auto problem = typeViolation(schema, value, path)) {
        return problem;
    }
    if (const auto allowed = schema.find("enum"); allowed != schema.end()) {
        if (std::find(allowed->begin(), allowed->end(), value) == allowed->end()) {
            return at(path) + ": must be one of " + allowed->dump();
        }
    }
    if (value.is_number()) {
        if (const auto min = schema.find("minimum");
            min != schema.end() && value.get<double>() < min->get<double>()) {
            return at(path) + ": must be at least " + min->dump();
        }
        if (const auto max = schema.find("maximum");
            max != schema.end() && value.get<double>() > max->get<double>()) {
            return at(path) + ": must be at most " + max->dump();
        }
    }
    if (value.is_string()) {
        const auto length = characters(value.get_ref<const std::string&>());
        if (const auto min = schema.find("minLength");
            min != schema.end() && length < min->get<std::size_t>()) {
            return at(path) + (min->get<std::size_t>() == 1
                                   ? ": must not be empty"
                                   : ": must have at least " + min->dump() + " characters");
        }
        if (const auto max = schema.find("maxLength");
            max != schema.end() && length > max->get<std::size_t>()) {
            return at(path) + ": must have at most " + max->dump() + " characters";
        }
    }
    if (value.is_array()) {
        if (const auto max = schema.find("maxItems");
            max != schema.end() && value.size() > max->get<std::size_t>()) {
            return at(path) + ": must have at most " + max->dump() + " items";
        }
        if (const auto items = schema.find("items"); items != schema.end()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (auto problem = schemaViolation(*items, value[i],
                                                   at(path) + "[" + std::to_string(i) + "]")) {
                    return problem;
                }
            }
        }
    }
    if (value.is_object()) {
        const auto properties = schema.find("properties");
        if (const auto required = schema.find("required"); required != schema.end()) {
            for (const auto& name : *required) {
                if (!value.contains(name.get<std::string>())) {
                    return join(path, name.get<std::string>()) + ": required";
                }
            }
        }
        const auto additional = schema.find("additionalProperties");
        for (const auto& [name, member] : value.items()) {
            if (properties != schema.end() && properties->contains(name)) {
                if (auto problem = schemaViolation((*properties)[name], member, join(path, name))) {
                    return problem;
                }
            } else if (additional != schema.end()) {
                if (additional->is_boolean() && !additional->get<bool>()) {
                    return join(path, name) + ": unknown parameter";
                }
                if (additional->is_object()) {
                    if (auto problem = schemaViolation(*additional, member, join(path, name))) {
                        return problem;
                    }
                }
            }
        }
    }
    return std::nullopt;
}

}  // namespace sluice::core::ops
