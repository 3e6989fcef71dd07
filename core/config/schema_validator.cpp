#include "core/config/schema_validator.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/config/yaml_reader.hpp"
#include "sluice/sdk/units.hpp"

namespace sluice::core::config {

namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string unknownKeyMessage(const std::string& key, const sdk::ConfigSchema& schema) {
    std::string best;
    std::size_t best_distance = 3;
    std::string expected;
    for (const auto& field : schema) {
        expected += (expected.empty() ? "" : ", ") + field.key;
        const std::size_t distance = editDistance(key, field.key);
        if (distance < best_distance) {
            best_distance = distance;
            best = field.key;
        }
    }
    std::string message = "unknown key '" + key + "'";
    if (!best.empty()) {
        return message + "; did you mean '" + best + "'?";
    }
    return message + (expected.empty() ? " (this section takes no keys)"
                                       : " (expected one of: " + expected + ")");
}

bool parsesAsInteger(const std::string& text, std::int64_t& out) {
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, out);
    return result.ec == std::errc() && result.ptr == end && !text.empty();
}

bool parsesAsNumber(const std::string& text) {
    if (text.empty()) {
        return false;
    }
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size();
}

class Validator {
public:
    explicit Validator(ConfigIssues& issues) : issues_(issues) {}

    void validateMap(ConfigTree& node, const sdk::ConfigSchema& schema) {
        if (node.kind() != sdk::ConfigKind::Map) {
            issue(node, "expected a map");
            return;
        }
        for (const auto& [key, child] : node.entries()) {
            const bool known = std::any_of(schema.begin(), schema.end(),
                                           [&](const sdk::ConfigField& f) { return f.key == key; });
            if (!known) {
                issue(*child, unknownKeyMessage(key, schema));
            }
        }
        for (const sdk::ConfigField& field : schema) {
            ConfigTree* value = node.find(field.key);
            if (value == nullptr || value->kind() == sdk::ConfigKind::Null) {
                if (!applyDefault(node, field, value != nullptr)) {
                    continue;
                }
                value = node.find(field.key);
            }
            checkValue(*value, field);
        }
    }

private:
    // Returns true when a value now exists for the field.
    bool applyDefault(ConfigTree& node, const sdk::ConfigField& field, bool present_but_null) {
        const std::string path = joinPath(node.path(), field.key);
        const bool container =
            field.type == sdk::FieldType::Object || field.type == sdk::FieldType::ObjectMap;
        if (field.default_value) {
            ConfigIssues default_issues;
            auto parsed = readYaml(*field.default_value, processEnvironment(), default_issues);
            if (!parsed || !default_issues.empty()) {
                issue(node, "schema default of '" + field.key + "' is not valid YAML");
                return false;
            }
            auto rebased = parsed->clone(path);
            rebased->markDefaulted();
            node.set(field.key, std::move(rebased));
            return true;
        }
        if (container) {
            // Nested objects always exist so their own defaults apply.
            node.set(field.key, ConfigTree::makeMap(path, node.line()));
            return true;
        }
        if (field.required) {
            issues_.push_back({path,
                               present_but_null ? "must not be empty" : "missing required key",
                               node.line()});
        }
        return false;
    }

    void checkValue(ConfigTree& value, const sdk::ConfigField& field) {
        if (field.secret) {
            value.markSecret();
        }
        switch (field.type) {
            case sdk::FieldType::String:
                checkScalar(value, field);
                break;
            case sdk::FieldType::Integer: {
                std::int64_t parsed = 0;
                if (!isScalar(value) || !parsesAsInteger(value.scalar(), parsed)) {
                    issue(value, "expected an integer");
                } else if ((field.minimum && parsed < *field.minimum) ||
                           (field.maximum && parsed > *field.maximum)) {
                    issue(value, "must be between " +
                                     std::to_string(field.minimum.value_or(INT64_MIN)) + " and " +
                                     std::to_string(field.maximum.value_or(INT64_MAX)));
                }
                break;
            }
            case sdk::FieldType::Number:
                if (!isScalar(value) || !parsesAsNumber(value.scalar())) {
                    issue(value, "expected a number");
                }
                break;
            case sdk::FieldType::Boolean:
                if (!isScalar(value) || (value.scalar() != "true" && value.scalar() != "false")) {
                    issue(value, "expected true or false");
                }
                break;
            case sdk::FieldType::Duration:
                if (!isScalar(value) || !sdk::parseDuration(value.scalar())) {
                    issue(value, "expected a duration with a unit, e.g. 250ms, 30s, 5m, 1h");
                }
                break;
            case sdk::FieldType::Size: {
                const auto parsed = isScalar(value) ? sdk::parseSize(value.scalar()) : std::nullopt;
                if (!parsed) {
                    issue(value, "expected a size with a unit, e.g. 512KiB, 16MiB");
                } else if ((field.minimum &&
                            *parsed < static_cast<std::uint64_t>(*field.minimum)) ||
                           (field.maximum &&
                            *parsed > static_cast<std::uint64_t>(*field.maximum))) {
                    issue(value, "must be between " + std::to_string(field.minimum.value_or(0)) +
                                     " and " + std::to_string(field.maximum.value_or(INT64_MAX)) +
                                     " bytes");
                }
                break;
            }
            case sdk::FieldType::StringList:
                checkStringList(value, field);
                break;
            case sdk::FieldType::Object:
                validateMap(value, field.fields);
                break;
            case sdk::FieldType::ObjectMap:
                if (value.kind() != sdk::ConfigKind::Map) {
                    issue(value, "expected a map of named entries");
                    break;
                }
                for (const auto& entry : value.entries()) {
                    if (entry.second->kind() == sdk::ConfigKind::Null) {
                        value.set(entry.first,
                                  ConfigTree::makeMap(entry.second->path(), entry.second->line()));
                    }
                }
                for (const auto& entry : value.entries()) {
                    validateMap(*entry.second, field.fields);
                }
                break;
            case sdk::FieldType::ObjectList:
                if (value.kind() != sdk::ConfigKind::Sequence) {
                    issue(value, "expected a list");
                    break;
                }
                for (const auto& item : value.items()) {
                    validateMap(*item, field.fields);
                }
                break;
            case sdk::FieldType::Any:
                break;
        }
    }

    void checkScalar(ConfigTree& value, const sdk::ConfigField& field) {
        if (!isScalar(value)) {
            issue(value, "expected a string");
            return;
        }
        checkChoices(value, field);
    }

    void checkStringList(ConfigTree& value, const sdk::ConfigField& field) {
        if (value.kind() != sdk::ConfigKind::Sequence) {
            issue(value, "expected a list of strings");
            return;
        }
        for (const auto& item : value.items()) {
            if (!isScalar(*item)) {
                issue(*item, "expected a string");
            } else {
                checkChoices(*item, field);
            }
        }
    }

    void checkChoices(ConfigTree& value, const sdk::ConfigField& field) {
        if (field.choices.empty() || std::find(field.choices.begin(), field.choices.end(),
                                               value.scalar()) != field.choices.end()) {
            return;
        }
        std::string allowed;
        for (const auto& choice : field.choices) {
            allowed += (allowed.empty() ? "" : ", ") + choice;
        }
        issue(value, "'" + value.scalar() + "' is not one of: " + allowed);
    }

    static bool isScalar(const ConfigTree& value) {
        return value.kind() == sdk::ConfigKind::Scalar;
    }

    void issue(const ConfigTree& node, std::string message) {
        issues_.push_back({node.path(), std::move(message), node.line()});
    }

    ConfigIssues& issues_;
};

}  // namespace

void validateAgainstSchema(ConfigTree& node, const sdk::ConfigSchema& schema,
                           ConfigIssues& issues) {
    Validator(issues).validateMap(node, schema);
}

ConfigTree& ensureMap(ConfigTree& parent, const std::string& key) {
    ConfigTree* existing = parent.find(key);
    if (existing != nullptr && existing->kind() != sdk::ConfigKind::Null) {
        return *existing;
    }
    const int line = existing != nullptr ? existing->line() : parent.line();
    return parent.set(key, ConfigTree::makeMap(joinPath(parent.path(), key), line));
}

}  // namespace sluice::core::config
