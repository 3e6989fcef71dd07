#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/host_settings.hpp"

namespace sluice::plugins::route_backend {

/// Settings of the backend_api route family.
struct BackendConfig {
    std::string upstream_path;  ///< the host's `upstream.backend_path`, e.g. /backend-api
    std::vector<std::string> forward_headers;  ///< client headers passed upstream
    std::uint64_t max_file_bytes = 0;          ///< largest file_size POST /files accepts
    std::uint64_t max_audio_bytes = 0;         ///< largest body POST /transcribe accepts
    std::chrono::milliseconds finalize_poll_interval{0};
    std::chrono::milliseconds finalize_timeout{0};
    std::size_t affinity_capacity = 0;  ///< task and environment ids remembered per family
    std::size_t owner_probe_limit = 0;  ///< accounts asked for an id of unknown owner
    std::chrono::milliseconds owner_miss_ttl{0};  ///< an id nobody had stays missing this long
    int default_page_size = 0;                    ///< tasks/list without ?limit=
    int max_page_size = 0;                        ///< larger ?limit= values are clamped to this
};

sdk::ConfigSchema backendConfigSchema();
/// `config` with what the host declares for every family (`upstream:`).
BackendConfig parseBackendConfig(const sdk::ConfigNode& config,
                                 const sdk::UpstreamIdentity& upstream);

}  // namespace sluice::plugins::route_backend
