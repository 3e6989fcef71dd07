#include "core/config/yaml_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sluice::core::config {

namespace {

constexpr std::string_view kEnvSuffix = "#env";
// Deeper than any real pipeline; also stops recursive aliases (`a: &x [*x]`).
constexpr int kMaxDepth = 64;
constexpr std::string_view kFileSuffix = "#file";

bool endsWith(const std::string& text, std::string_view suffix) {
    return text.size() > suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Reader {
public:
    Reader(const EnvLookup& env, ConfigIssues& issues) : env_(env), issues_(issues) {}

    ConfigTree::Ptr convert(const YAML::Node& node, const std::string& path, int depth = 0) {
        const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
        if (depth > kMaxDepth) {
            issues_.push_back(
                {path,
                 "nested deeper than " + std::to_string(kMaxDepth) + " levels (a recursive alias?)",
                 line});
            return ConfigTree::makeNull(path, line);
        }
        switch (node.Type()) {
            case YAML::NodeType::Scalar:
                return ConfigTree::makeScalar(path, node.Scalar(), line);
            case YAML::NodeType::Sequence: {
                auto seq = ConfigTree::makeSequence(path, line);
                std::size_t index = 0;
                for (const auto& item : node) {
                    seq->append(convert(item, indexPath(path, index++), depth + 1));
                }
                return seq;
            }
            case YAML::NodeType::Map:
                return convertMap(node, path, line, depth);
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                return ConfigTree::makeNull(path, line);
        }
        return ConfigTree::makeNull(path, line);
    }

private:
    ConfigTree::Ptr convertMap(const YAML::Node& node, const std::string& path, int line,
                               int depth) {
        auto map = ConfigTree::makeMap(path, line);
        for (const auto& entry : node) {
            if (!entry.first.IsScalar()) {
                issues_.push_back({path, "map keys must be plain strings", line});
                continue;
            }
            const std::string key = entry.first.Scalar();
            const int key_line = entry.first.Mark().line + 1;
            if (endsWith(key, kEnvSuffix) || endsWith(key, kFileSuffix)) {
                resolveSecret(*map, key, entry.second, path, key_line);
                continue;
            }
            if (map->find(key) != nullptr) {
                issues_.push_back({joinPath(path, key), "duplicate key", key_line});
                continue;
            }
            map->set(key, convert(entry.second, joinPath(path, key), depth + 1));
        }
        return map;
    }

    void resolveSecret(ConfigTree& map, const std::string& key, const YAML::Node& value,
                       const std::string& path, int line) {
        const bool from_env = endsWith(key, kEnvSuffix);
        const std::string name =
            key.substr(0, key.size() - (from_env ? kEnvSuffix : kFileSuffix).size());
        const std::string ref_path = joinPath(path, key);
        if (!value.IsScalar() || value.Scalar().empty()) {
            issues_.push_back(
                {ref_path,
                 from_env ? "expected an environment variable name" : "expected a file path",
                 line});
            return;
        }
        if (map.find(name) != nullptr) {
            issues_.push_back({ref_path, "'" + name + "' is given twice", line});
            return;
        }
        std::optional<std::string> resolved =
            from_env ? env_(value.Scalar()) : readSecretFile(value.Scalar());
        if (!resolved) {
            issues_.push_back({ref_path,
                               from_env ? "environment variable " + value.Scalar() + " is not set"
                                        : "cannot read file " + value.Scalar(),
                               line});
            return;
        }
        auto node = ConfigTree::makeScalar(joinPath(path, name), std::move(*resolved), line);
        node->markSecret();
        map.set(name, std::move(node));
    }

    static std::optional<std::string> readSecretFile(const std::string& file) {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            return std::nullopt;
        }
        std::ostringstream content;
        content << in.rdbuf();
        std::string text = content.str();
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.pop_back();
        }
        return text;
    }

    const EnvLookup& env_;
    ConfigIssues& issues_;
};

}  // namespace

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value =
            std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): startup only
        if (value == nullptr) {
            return std::nullopt;
        }
        return std::string(value);
    };
}

ConfigTree::Ptr readYaml(const std::string& text, const EnvLookup& env, ConfigIssues& issues) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        issues.push_back({"", "not valid YAML: " + e.msg, e.mark.line >= 0 ? e.mark.line + 1 : 0});
        return nullptr;
    }
    Reader reader(env, issues);
    return reader.convert(root, "");
}

ConfigTree::Ptr readYamlFile(const std::filesystem::path& path, const EnvLookup& env,
                             ConfigIssues& issues) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        issues.push_back({"", "cannot read " + path.string(), 0});
        return nullptr;
    }
    std::ostringstream content;
    content << in.rdbuf();
    return readYaml(content.str(), env, issues);
}

}  // namespace sluice::core::config
