#pragma once

#include "sluice/sdk/config_schema.hpp"

namespace sluice::core::config {

/// The schema of the pipeline's own sections. Plugin `config:` blocks are `any` here and are
/// validated against their factory's schema once the plugins are loaded.
const sdk::ConfigSchema& pipelineSchema();

}  // namespace sluice::core::config
