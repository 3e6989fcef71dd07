#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/plugins/common/o200k_tokenizer.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/host_settings.hpp"

namespace sluice::plugins::route_openai {

/// Settings of the openai_v1 route family.
struct OpenAiConfig {
    std::string codex_path;    ///< the host's `upstream.codex_path`: Responses and the catalog
    std::string backend_path;  ///< the host's `upstream.backend_path`: files and transcription
    /// Absolute path where chat completions are also served, for clients whose base URL is the
    /// Codex surface's /v1 alias; empty: none.
    std::string codex_chat_alias;
    std::string client_version;  ///< the host's, sent as ?client_version= on catalog fetches
    std::chrono::milliseconds models_cache_ttl;  ///< how long a pool's catalog is reused
    std::vector<std::string> forward_headers;    ///< client headers passed upstream
    std::uint64_t max_file_bytes;                ///< largest file accepted by POST /files
    std::uint64_t max_audio_bytes;               ///< largest transcription upload
    std::uint64_t max_image_bytes;               ///< largest images/edits upload
    std::uint64_t max_response_bytes;            ///< largest upstream answer collected in memory
    std::chrono::milliseconds upload_timeout;    ///< the PUT of a file to its upload URL
    std::chrono::milliseconds finalize_poll_interval;
    std::chrono::milliseconds finalize_timeout;  ///< waiting for the upstream to accept an upload
    bool allow_private_upload_urls;              ///< accept loopback/private upload hosts (tests)
    std::string image_responses_model;           ///< the Responses model that drives image tools
    std::string transcription_model;             ///< the model the backend transcribes with
    common::O200kTokenizerPtr tokenizer;         ///< input_tokens counts; null without ranks
    bool response_store;                         ///< keep answers for the store's routes
    std::chrono::milliseconds response_store_retention;  ///< how long a kept answer is served
};

sdk::ConfigSchema openAiConfigSchema();
/// `config` with what the host declares for every family (`upstream:`).
OpenAiConfig parseOpenAiConfig(const sdk::ConfigNode& config,
                               const sdk::UpstreamIdentity& upstream);

}  // namespace sluice::plugins::route_openai
