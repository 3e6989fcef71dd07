#pragma once

#include <string>

#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::plugins::state_redis {

/// Creates `redis` shared states. Stateless; any thread.
class RedisStateFactory final : public sdk::SharedStateFactory {
public:
    std::string name() const override { return "redis"; }
    std::string description() const override;
    sdk::ConfigSchema schema() const override;
    /// Parses the config; connecting is left to start(), so an unreachable server is a degraded
    /// link rather than a refusal to start.
    sdk::SharedStatePtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override;
};

/// Registers every factory of the plugin (the .so entry point and the builtin twin); throws when
/// the host predates shared state (SDK 2.5).
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::state_redis
