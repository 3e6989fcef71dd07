#include "prefer_label_config.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::prefer_label {

sdk::ConfigSchema preferLabelSchema() {
    return {
        sdk::field::string("label", "account label to prefer, as key=value (e.g. tier=pro)")
            .mandatory(),
        sdk::field::boolean("fallback",
                            "after the labelled accounts, also offer the others; false "
                            "routes only to labelled accounts")
            .defaultsTo("true"),
    };
}

PreferLabelConfig parsePreferLabelConfig(const sdk::ConfigNode& config) {
    PreferLabelConfig out;
    const std::string label = sdk::config::getString(config, "label");
    const auto equals = label.find('=');
    if (equals == std::string::npos || equals == 0) {
        throw sdk::ConfigError(sdk::config::child(config, "label").path(),
                               "expected key=value, e.g. tier=pro; got '" + label + "'");
    }
    out.label_key = label.substr(0, equals);
    out.label_value = label.substr(equals + 1);
    out.fallback = sdk::config::getBool(config, "fallback");
    return out;
}

}  // namespace sluice::plugins::prefer_label
