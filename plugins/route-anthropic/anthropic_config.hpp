#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/plugins/common/o200k_tokenizer.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_anthropic {

/// One operator rule: Claude model ids starting with `prefix` run on the pool's `model`.
struct ModelRule {
    std::string prefix;
    std::string model;
};

/// Which pool model serves a Claude model id: the longest matching prefix of `rules`, else
/// `default_model`. Immutable after configuration; any thread.
class ModelMap final {
public:
    ModelMap(std::vector<ModelRule> rules, std::string default_model);

    const std::string& resolve(std::string_view claude_model) const noexcept;

private:
    std::vector<ModelRule> rules_;  ///< longest prefix first
    std::string default_model_;
};

/// Settings of the anthropic_messages route family.
struct AnthropicConfig {
    std::string codex_path;                    ///< upstream prefix of Responses
    std::vector<ModelRule> models;             ///< Claude id prefix -> pool model
    std::string default_model;                 ///< the pool model for ids no rule names
    std::vector<std::string> forward_headers;  ///< client headers passed upstream
    std::uint64_t max_response_bytes;          ///< largest upstream answer collected in memory
    common::O200kTokenizerPtr tokenizer;       ///< count_tokens answers; null without ranks
};

sdk::ConfigSchema anthropicConfigSchema();
AnthropicConfig parseAnthropicConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_anthropic
