#include "route_anthropic_factory.hpp"

#include "anthropic_family.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

class AnthropicMessagesFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "anthropic_messages"; }
    std::string description() const override {
        return "Anthropic Messages surface (/v1/messages, count_tokens) for Claude Code and "
               "Anthropic SDK clients, served by the pool's Codex accounts";
    }
    std::string defaultMount() const override { return "/v1"; }
    sdk::ConfigSchema schema() const override { return anthropicConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        return std::make_unique<AnthropicFamily>(parseAnthropicConfig(config), host);
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<AnthropicMessagesFactory>());
}

}  // namespace sluice::plugins::route_anthropic
