#include "tests/integration/plugin_readme.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests::integration {

namespace fs = std::filesystem;

namespace {

// What a README's example leaves out (its `plugins:` and `routes:` complete it).
constexpr const char* kPipelineRest =
    "version: 1\n"
    "storage: { type: sqlite, config: { path: sluice.db } }\n"
    "secrets: { key#env: SLUICE_SECRET_KEY }\n"
    "strategies: { rotate: { type: round_robin } }\n"
    "pools: { default: { strategy: rotate } }\n";

std::optional<std::string> testEnvironment(const std::string& name) {
    if (name == "SLUICE_SECRET_KEY") {
        return std::string(64, 'a');  // 32 bytes, hex
    }
    return std::nullopt;
}

std::string defaultOf(const sdk::ConfigField& field) {
    return field.default_value.value_or(field.required ? "(required)" : "(none)");
}

}  // namespace

std::string pluginReadme(const std::string& plugin) {
    std::ifstream file(fs::path(SLUICE_SOURCE_DIR) / "plugins" / plugin / "README.md");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string firstYamlBlock(const std::string& text) {
    const std::string open = "```yaml\n";
    const auto begin = text.find(open);
    if (begin == std::string::npos) {
        return {};
    }
    const auto end = text.find("```", begin + open.size());
    return text.substr(begin + open.size(), end - begin - open.size());
}

std::map<std::string, std::string> configurationTable(const std::string& text) {
    const std::regex row(R"(^\| `([a-z0-9_.]+)` \| [^|]+ \| `([^`]*)` \|)");
    std::map<std::string, std::string> out;
    std::istringstream lines(text);
    std::string line;
    bool inside = false;
    std::smatch match;
    while (std::getline(lines, line)) {
        if (line.rfind("## ", 0) == 0) {
            inside = line == "## Configuration";
        } else if (inside && std::regex_search(line, match, row)) {
            out[match[1]] = match[2];
        }
    }
    return out;
}

std::map<std::string, std::string> schemaDefaults(const sdk::ConfigSchema& schema) {
    std::map<std::string, std::string> out;
    for (const auto& field : schema) {
        if (field.type != sdk::FieldType::Object) {
            out[field.key] = defaultOf(field);
            continue;
        }
        for (const auto& nested : field.fields) {
            out[field.key + "." + nested.key] = defaultOf(nested);
        }
    }
    return out;
}

void loadReadmeExample(const std::string& plugin, LoadedExample& loaded) {
    sdk::testing::TempDirectory directory("sluice-" + plugin + "-readme");
    const fs::path file = directory.path() / "sluice.yaml";
    std::ofstream(file) << kPipelineRest << firstYamlBlock(pluginReadme(plugin));
    const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
    loaded.issues = loader.load(file, loaded.registry, loaded.pipeline);
}

}  // namespace sluice::tests::integration
