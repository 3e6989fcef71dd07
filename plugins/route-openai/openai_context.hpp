#pragma once

#include "openai_config.hpp"
#include "sluice/plugins/common/models_cache.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_responses.hpp"

namespace sluice::plugins::route_openai {

/// What every /v1 handler shares, owned by OpenAiFamily and valid for its lifetime. The
/// members are thread-safe, so handlers use them from any request thread.
struct OpenAiContext {
    OpenAiConfig config;
    sdk::HostServices& host;
    sdk::Logger& logger;
    common::ModelsCache models;
    sdk::ResponseStore* store;  ///< the host's response store; null when `response_store` is off
};

}  // namespace sluice::plugins::route_openai
