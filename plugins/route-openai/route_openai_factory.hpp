#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_openai {

/// Registers the openai_v1 route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_openai
