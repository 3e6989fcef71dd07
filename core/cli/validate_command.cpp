#include <nlohmann/json.hpp>

#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/config/pipeline_loader.hpp"
#include "core/config/yaml_writer.hpp"

namespace sluice::core::cli {

/// `sluice validate --config F`: every problem (exit 1), or the effective configuration with
/// defaults applied and secrets redacted (exit 0).
int validateCommand(CommandContext& context) {
    context.args.expect({"--config", "--json"}, 1);
    plugin::PluginRegistry registry;
    const config::PipelineLoader loader(config::processEnvironment(),
                                        plugin::defaultPluginPaths(context.executable));
    config::Pipeline pipeline;
    const config::ConfigIssues issues = loader.load(context.config, registry, pipeline);
    if (context.json) {
        nlohmann::json problems = nlohmann::json::array();
        for (const auto& issue : issues) {
            problems.push_back(
                {{"path", issue.path}, {"message", issue.message}, {"line", issue.line}});
        }
        printJson(context.out, {{"valid", issues.empty()}, {"errors", problems}});
        return issues.empty() ? 0 : 1;
    }
    if (!issues.empty()) {
        for (const auto& issue : issues) {
            context.err << context.config.string() << ": " << issue.describe() << '\n';
        }
        context.err << issues.size() << (issues.size() == 1 ? " error" : " errors") << '\n';
        return 1;
    }
    context.out << config::writeYaml(*pipeline.tree);
    return 0;
}

}  // namespace sluice::core::cli
