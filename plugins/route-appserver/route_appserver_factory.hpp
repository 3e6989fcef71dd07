#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_appserver {

void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_appserver
