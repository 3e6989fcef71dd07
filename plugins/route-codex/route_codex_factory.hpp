#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_codex {

/// Registers the codex_backend route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_codex
