#include <filesystem>
#include <set>

#include "core/cli/commands.hpp"
#include "core/cli/config_reference.hpp"
#include "core/cli/output.hpp"
#include "core/config/pipeline_schema.hpp"
#include "core/config/yaml_reader.hpp"
#include "core/plugin/plugin_error.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::core::cli {

namespace {

// The pipeline's extra plugin paths when the file can be read, then the defaults.
std::vector<std::filesystem::path> searchPaths(const CommandContext& context) {
    std::vector<std::filesystem::path> paths;
    config::ConfigIssues ignored;
    const auto tree = config::readYamlFile(context.config, config::processEnvironment(), ignored);
    if (tree) {
        const config::ConfigTree* plugins = tree->find("plugins");
        const config::ConfigTree* listed = plugins != nullptr ? plugins->find("paths") : nullptr;
        if (listed != nullptr) {
            for (const auto& item : listed->items()) {
                paths.emplace_back(item->scalar());
            }
        }
    }
    for (auto& path : plugin::defaultPluginPaths(context.executable)) {
        paths.push_back(std::move(path));
    }
    return paths;
}

// Loads every libsluice-*.so found, so operators see what is installed, not only what is used.
void loadAll(const CommandContext& context, plugin::PluginRegistry& registry) {
    const auto paths = searchPaths(context);
    plugin::PluginLoader loader(paths, registry);
    std::set<std::string> seen;
    for (const auto& dir : paths) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
            const std::string file = entry.path().filename().string();
            if (file.rfind("libsluice-", 0) != 0 || entry.path().extension() != ".so" ||
                !seen.insert(file).second) {
                continue;
            }
            try {
                loader.loadFile(entry.path());
            } catch (const plugin::PluginError& e) {
                context.err << "warning: " << e.what() << '\n';
            }
        }
    }
}

nlohmann::json schemaJson(const sdk::ConfigSchema& schema) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& field : schema) {
        nlohmann::json item{{"key", field.key},
                            {"type", sdk::fieldTypeName(field.type)},
                            {"description", field.description},
                            {"required", field.required},
                            {"secret", field.secret}};
        if (field.default_value) {
            item["default"] = *field.default_value;
        }
        if (!field.choices.empty()) {
            item["choices"] = field.choices;
        }
        if (!field.fields.empty()) {
            item["fields"] = schemaJson(field.fields);
        }
        fields.push_back(std::move(item));
    }
    return fields;
}

void printSchema(std::ostream& out, const sdk::ConfigSchema& schema, const std::string& indent) {
    for (const auto& field : schema) {
        out << indent << field.key << " (" << sdk::fieldTypeName(field.type);
        if (field.required) {
            out << ", required";
        }
        if (field.default_value) {
            out << ", default " << *field.default_value;
        }
        if (field.secret) {
            out << ", secret";
        }
        if (!field.choices.empty()) {
            std::string choices;
            for (const auto& choice : field.choices) {
                choices += (choices.empty() ? "" : "|") + choice;
            }
            out << ", one of " << choices;
        }
        out << ")  " << field.description << '\n';
        printSchema(out, field.fields, indent + "  ");
    }
}

}  // namespace

/// `sluice plugins list`, `sluice plugins describe NAME` and `sluice plugins describe --markdown`
/// (docs/configuration.md).
int pluginsCommand(CommandContext& context) {
    context.args.expect({"--config", "--json", "--markdown"}, 3);
    const std::string& action = context.args.word(1, "action (list or describe)");
    plugin::PluginRegistry registry;
    loadAll(context, registry);
    const auto factories = registry.describe();
    if (action == "list") {
        if (context.json) {
            nlohmann::json items = nlohmann::json::array();
            for (const auto& f : factories) {
                items.push_back({{"kind", plugin::factoryKindName(f.kind)},
                                 {"name", f.name},
                                 {"plugin", f.plugin_name},
                                 {"library", f.library_path},
                                 {"description", f.description}});
            }
            printJson(context.out, items);
            return 0;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& f : factories) {
            rows.push_back({plugin::factoryKindName(f.kind), f.name, f.plugin_name, f.description});
        }
        printTable(context.out, {"KIND", "NAME", "PLUGIN", "DESCRIPTION"}, rows);
        return 0;
    }
    if (action != "describe") {
        throw UsageError("unknown plugins action '" + action + "' (expected list or describe)");
    }
    if (context.args.flag("--markdown")) {
        if (context.args.words().size() > 2) {
            throw UsageError("--markdown describes every factory; give no NAME");
        }
        writeConfigReference(context.out, config::pipelineSchema(), factories);
        return 0;
    }
    const std::string& name = context.args.word(2, "factory name");
    bool found = false;
    for (const auto& f : factories) {
        if (f.name != name) {
            continue;
        }
        found = true;
        if (context.json) {
            printJson(context.out, {{"kind", plugin::factoryKindName(f.kind)},
                                    {"name", f.name},
                                    {"plugin", f.plugin_name},
                                    {"library", f.library_path},
                                    {"description", f.description},
                                    {"schema", schemaJson(f.schema)}});
            continue;
        }
        context.out << f.name << " — " << plugin::factoryKindName(f.kind) << " from "
                    << f.plugin_name << " (" << f.library_path << ")\n"
                    << f.description << "\n\nconfig:\n";
        if (f.schema.empty()) {
            context.out << "  (no settings)\n";
        }
        printSchema(context.out, f.schema, "  ");
    }
    if (!found) {
        context.err << "error: no factory named '" << name << "' in any installed plugin\n";
        return 1;
    }
    return 0;
}

}  // namespace sluice::core::cli
