#include "openai_config.hpp"

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/plugins/common/input_tokens.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_openai {

namespace field = sdk::field;
namespace cfg = sdk::config;
using common::positiveDuration;
using common::positiveSize;

sdk::ConfigSchema openAiConfigSchema() {
    return {
        field::string("codex_chat_alias",
                      "Absolute path also serving chat completions, beside the Codex surface's /v1 "
                      "aliases (empty: none)")
            .defaultsTo("/backend-api/codex/v1/chat/completions"),
        field::duration("models_cache_ttl", "How long a pool's model catalog is reused")
            .defaultsTo("5m"),
        field::stringList("forward_headers",
                          "Client headers forwarded upstream (session continuity)")
            .defaultsTo("[session-id, thread-id, x-client-request-id, x-codex-turn-metadata, "
                        "x-codex-window-id, "
                        "x-codex-turn-state, x-codex-beta-features, openai-beta]"),
        field::size("max_file_bytes", "Largest file POST /files accepts").defaultsTo("25MiB"),
        field::size("max_audio_bytes", "Largest audio file POST /audio/transcriptions accepts")
            .defaultsTo("25MiB"),
        field::size("max_image_bytes", "Largest upload POST /images/edits accepts (all images)")
            .defaultsTo("20MiB"),
        field::size("max_response_bytes",
                    "Largest upstream answer collected for a non-streamed reply")
            .defaultsTo("64MiB"),
        field::duration("upload_timeout", "Time allowed for sending a file to its upload URL")
            .defaultsTo("60s"),
        field::duration("finalize_poll_interval",
                        "Pause between checks while the upstream processes an upload")
            .defaultsTo("250ms"),
        field::duration("finalize_timeout", "Longest wait for the upstream to accept an upload")
            .defaultsTo("30s"),
        field::boolean("allow_private_upload_urls",
                       "Accept upload URLs on loopback or private addresses (test upstreams only)")
            .defaultsTo("false"),
        field::string("image_responses_model",
                      "Responses model that runs the image_generation tool")
            .defaultsTo("gpt-5.5"),
        field::string("transcription_model", "Model the backend transcribes with")
            .defaultsTo("gpt-4o-transcribe"),
        common::o200kRanksField(),
        field::boolean(
            "response_store",
            "Keep completed responses and stored chat completions (prompts included, "
            "encrypted with the secret key, visible only to the creating key) and serve "
            "the retrieve, list, update, delete and compact routes; off: those routes answer "
            "unsupported_endpoint")
            .defaultsTo("false"),
        field::duration("response_store_retention",
                        "How long a kept answer is served before it is purged")
            .defaultsTo("30d"),
    };
}

OpenAiConfig parseOpenAiConfig(const sdk::ConfigNode& config,
                               const sdk::UpstreamIdentity& upstream) {
    OpenAiConfig parsed;
    parsed.codex_path = upstream.codex_path;
    parsed.backend_path = upstream.backend_path;
    parsed.client_version = upstream.client_version;
    parsed.codex_chat_alias = cfg::getString(config, "codex_chat_alias");
    if (!parsed.codex_chat_alias.empty() && parsed.codex_chat_alias.front() != '/') {
        throw sdk::ConfigError(config.get("codex_chat_alias")->path(), "must start with '/'");
    }
    parsed.models_cache_ttl = cfg::getDuration(config, "models_cache_ttl");
    parsed.forward_headers = cfg::getStringList(config, "forward_headers");
    parsed.max_file_bytes = positiveSize(config, "max_file_bytes");
    parsed.max_audio_bytes = positiveSize(config, "max_audio_bytes");
    parsed.max_image_bytes = positiveSize(config, "max_image_bytes");
    parsed.max_response_bytes = positiveSize(config, "max_response_bytes");
    parsed.upload_timeout = positiveDuration(config, "upload_timeout");
    parsed.finalize_poll_interval = positiveDuration(config, "finalize_poll_interval");
    parsed.finalize_timeout = positiveDuration(config, "finalize_timeout");
    parsed.allow_private_upload_urls = cfg::getBool(config, "allow_private_upload_urls");
    parsed.image_responses_model = cfg::getString(config, "image_responses_model");
    parsed.transcription_model = cfg::getString(config, "transcription_model");
    if (parsed.image_responses_model.empty()) {
        throw sdk::ConfigError(config.get("image_responses_model")->path(), "must not be empty");
    }
    if (parsed.transcription_model.empty()) {
        throw sdk::ConfigError(config.get("transcription_model")->path(), "must not be empty");
    }
    parsed.tokenizer = common::loadO200kTokenizer(config, "o200k_ranks_path");
    parsed.response_store = cfg::getBool(config, "response_store");
    parsed.response_store_retention = positiveDuration(config, "response_store_retention");
    return parsed;
}

}  // namespace sluice::plugins::route_openai
