#pragma once

// The seed's environment variables (CODEX_GATEWAY_*, SESSION_WEBHOOK_*), applied over the YAML
// block so the seed's deployments move over unchanged. README.md lists them with their keys.

#include <map>
#include <string>

#include "runner_config.hpp"

namespace sluice::plugins::route_runner {

/// Applies every variable of the table that `environment` sets. Throws ConfigError whose path
/// is the variable's name when a value is malformed.
void applySeedEnvironment(RunnerConfig& config,
                          const std::map<std::string, std::string>& environment);

/// The process environment's CODEX_GATEWAY_* and SESSION_WEBHOOK_* variables.
std::map<std::string, std::string> seedEnvironment();

}  // namespace sluice::plugins::route_runner
