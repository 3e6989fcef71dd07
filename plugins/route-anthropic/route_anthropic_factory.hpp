#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_anthropic {

/// Registers the anthropic_messages route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_anthropic
