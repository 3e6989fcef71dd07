#include "prefer_label_factory.hpp"

#include <memory>

#include "prefer_label_config.hpp"
#include "prefer_label_strategy.hpp"

namespace sluice::plugins::prefer_label {

std::string PreferLabelFactory::description() const {
    return "accounts with a given label first, then the rest; round robin inside each group";
}

sdk::ConfigSchema PreferLabelFactory::schema() const {
    return preferLabelSchema();
}

sdk::RoutingStrategyPtr PreferLabelFactory::create(const sdk::ConfigNode& config,
                                                   sdk::HostServices& host) const {
    PreferLabelConfig parsed = parsePreferLabelConfig(config);
    host.logger("strategy.prefer_label")
        .info("strategy_configured", {{"path", config.path()},
                                      {"label_key", parsed.label_key},
                                      {"fallback", parsed.fallback ? "true" : "false"}});
    return std::make_unique<PreferLabelStrategy>(std::move(parsed));
}

}  // namespace sluice::plugins::prefer_label
