#include "sluice/plugins/common/config_checks.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::common {

void refuseConfig(const sdk::ConfigNode& config, std::string_view key, const std::string& why) {
    throw sdk::ConfigError(config.get(key)->path(), why);
}

std::chrono::milliseconds positiveDuration(const sdk::ConfigNode& config, std::string_view key) {
    const auto value = sdk::config::getDuration(config, key);
    if (value.count() <= 0) {
        refuseConfig(config, key, "must be longer than 0");
    }
    return value;
}

}  // namespace sluice::plugins::common
