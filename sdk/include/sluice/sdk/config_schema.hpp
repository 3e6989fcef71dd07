#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::sdk {

enum class FieldType {
    String,
    Integer,
    Number,
    Boolean,
    Duration,  ///< "30s", "250ms"
    Size,      ///< "16MiB"
    StringList,
    Object,      ///< nested fields
    ObjectMap,   ///< name -> object with `fields`
    ObjectList,  ///< sequence of objects with `fields`
    Any,         ///< free-form; not validated by the host
};

/// One key of a factory's configuration. Defaults live here and nowhere else: the host applies
/// them before the plugin sees the config. Values are built with the `field::` helpers below.
struct ConfigField {
    std::string key;
    FieldType type = FieldType::String;
    std::string description;
    std::optional<std::string> default_value;  ///< YAML text, e.g. "3", "30s", "[a, b]"
    bool required = false;
    bool secret = false;                  ///< redacted in `sluice validate` and logs
    std::vector<std::string> choices;     ///< allowed values of a scalar, when non-empty
    std::optional<std::int64_t> minimum;  ///< inclusive, for Integer (bytes for Size)
    std::optional<std::int64_t> maximum;  ///< inclusive, for Integer (bytes for Size)
    std::vector<ConfigField> fields;      ///< members of Object, ObjectMap, ObjectList

    ConfigField defaultsTo(std::string value) const {
        ConfigField copy = *this;
        copy.default_value = std::move(value);
        return copy;
    }
    ConfigField mandatory() const {
        ConfigField copy = *this;
        copy.required = true;
        return copy;
    }
    ConfigField sensitive() const {
        ConfigField copy = *this;
        copy.secret = true;
        return copy;
    }
    ConfigField oneOf(std::vector<std::string> values) const {
        ConfigField copy = *this;
        copy.choices = std::move(values);
        return copy;
    }
    ConfigField between(std::int64_t low, std::int64_t high) const {
        ConfigField copy = *this;
        copy.minimum = low;
        copy.maximum = high;
        return copy;
    }
};

using ConfigSchema = std::vector<ConfigField>;

namespace field {

inline ConfigField make(std::string key, FieldType type, std::string description,
                        std::vector<ConfigField> fields = {}) {
    ConfigField f;
    f.key = std::move(key);
    f.type = type;
    f.description = std::move(description);
    f.fields = std::move(fields);
    return f;
}
inline ConfigField string(std::string key, std::string description) {
    return make(std::move(key), FieldType::String, std::move(description));
}
inline ConfigField integer(std::string key, std::string description) {
    return make(std::move(key), FieldType::Integer, std::move(description));
}
inline ConfigField number(std::string key, std::string description) {
    return make(std::move(key), FieldType::Number, std::move(description));
}
inline ConfigField boolean(std::string key, std::string description) {
    return make(std::move(key), FieldType::Boolean, std::move(description));
}
inline ConfigField duration(std::string key, std::string description) {
    return make(std::move(key), FieldType::Duration, std::move(description));
}
inline ConfigField size(std::string key, std::string description) {
    return make(std::move(key), FieldType::Size, std::move(description));
}
inline ConfigField stringList(std::string key, std::string description) {
    return make(std::move(key), FieldType::StringList, std::move(description));
}
inline ConfigField object(std::string key, std::string description,
                          std::vector<ConfigField> fields) {
    return make(std::move(key), FieldType::Object, std::move(description), std::move(fields));
}
inline ConfigField objectMap(std::string key, std::string description,
                             std::vector<ConfigField> fields) {
    return make(std::move(key), FieldType::ObjectMap, std::move(description), std::move(fields));
}
inline ConfigField objectList(std::string key, std::string description,
                              std::vector<ConfigField> fields) {
    return make(std::move(key), FieldType::ObjectList, std::move(description), std::move(fields));
}
inline ConfigField any(std::string key, std::string description) {
    return make(std::move(key), FieldType::Any, std::move(description));
}

}  // namespace field

inline const char* fieldTypeName(FieldType type) noexcept {
    switch (type) {
        case FieldType::String:
            return "string";
        case FieldType::Integer:
            return "integer";
        case FieldType::Number:
            return "number";
        case FieldType::Boolean:
            return "boolean";
        case FieldType::Duration:
            return "duration";
        case FieldType::Size:
            return "size";
        case FieldType::StringList:
            return "list<string>";
        case FieldType::Object:
            return "object";
        case FieldType::ObjectMap:
            return "map<name, object>";
        case FieldType::ObjectList:
            return "list<object>";
        case FieldType::Any:
            return "any";
    }
    return "unknown";
}

}  // namespace sluice::sdk
