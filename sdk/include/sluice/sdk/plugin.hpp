#pragma once

// The one header a plugin includes: the handshake macro plus every interface it can implement.

#include "sluice/sdk/abi.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/config_values.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/route_family.hpp"
#include "sluice/sdk/routing_strategy.hpp"
#include "sluice/sdk/shared_state.hpp"
#include "sluice/sdk/storage_backend.hpp"
