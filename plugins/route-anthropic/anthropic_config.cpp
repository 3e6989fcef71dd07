#include "anthropic_config.hpp"

#include <algorithm>

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/plugins/common/input_tokens.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_anthropic {

namespace field = sdk::field;
namespace cfg = sdk::config;

ModelMap::ModelMap(std::vector<ModelRule> rules, std::string default_model)
    : rules_(std::move(rules)), default_model_(std::move(default_model)) {
    std::stable_sort(rules_.begin(), rules_.end(), [](const ModelRule& a, const ModelRule& b) {
        return a.prefix.size() > b.prefix.size();
    });
}

const std::string& ModelMap::resolve(std::string_view claude_model) const noexcept {
    for (const ModelRule& rule : rules_) {
        if (claude_model.substr(0, rule.prefix.size()) == rule.prefix) {
            return rule.model;
        }
    }
    return default_model_;
}

sdk::ConfigSchema anthropicConfigSchema() {
    return {
        field::string("codex_path", "Upstream prefix of Responses")
            .defaultsTo("/backend-api/codex"),
        field::objectList(
            "models",
            "Claude model ids (by prefix, longest first) and the pool model that "
            "serves them",
            {field::string("prefix", "Start of the Claude model id, e.g. claude-opus").mandatory(),
             field::string("model", "The pool's model, e.g. gpt-5.5").mandatory()})
            .defaultsTo("[]"),
        field::string("default_model", "Pool model for Claude ids no rule names")
            .defaultsTo("gpt-5.5"),
        field::stringList("forward_headers", "Client headers forwarded upstream")
            .defaultsTo("[x-client-request-id]"),
        field::size("max_response_bytes",
                    "Largest upstream answer collected for a non-streamed reply")
            .defaultsTo("64MiB"),
        common::o200kRanksField(),
    };
}

AnthropicConfig parseAnthropicConfig(const sdk::ConfigNode& config) {
    AnthropicConfig parsed;
    parsed.codex_path = cfg::getString(config, "codex_path");
    if (parsed.codex_path.empty() || parsed.codex_path.front() != '/') {
        throw sdk::ConfigError(config.get("codex_path")->path(), "must start with '/'");
    }
    while (parsed.codex_path.size() > 1 && parsed.codex_path.back() == '/') {
        parsed.codex_path.pop_back();
    }
    const sdk::ConfigNode& models = cfg::child(config, "models");
    for (std::size_t i = 0; i < models.size(); ++i) {
        const sdk::ConfigNode& rule = *models.at(i);
        ModelRule parsed_rule{cfg::getString(rule, "prefix"), cfg::getString(rule, "model")};
        if (parsed_rule.prefix.empty() || parsed_rule.model.empty()) {
            throw sdk::ConfigError(rule.path(), "prefix and model must not be empty");
        }
        parsed.models.push_back(std::move(parsed_rule));
    }
    parsed.default_model = cfg::getString(config, "default_model");
    if (parsed.default_model.empty()) {
        throw sdk::ConfigError(config.get("default_model")->path(), "must not be empty");
    }
    parsed.forward_headers = cfg::getStringList(config, "forward_headers");
    parsed.max_response_bytes = common::positiveSize(config, "max_response_bytes");
    parsed.tokenizer = common::loadO200kTokenizer(config, "o200k_ranks_path");
    return parsed;
}

}  // namespace sluice::plugins::route_anthropic
