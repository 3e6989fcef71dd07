#include "codex_config.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_codex {

namespace field = sdk::field;
namespace cfg = sdk::config;

sdk::ConfigSchema codexConfigSchema() {
    return {
        field::duration("models_cache_ttl", "How long a pool's model catalog is reused")
            .defaultsTo("5m"),
        field::stringList("forward_headers",
                          "Client headers forwarded upstream (Codex turn metadata)")
            .defaultsTo("[session-id, thread-id, x-client-request-id, x-codex-turn-metadata, "
                        "x-codex-window-id, x-codex-turn-state, x-codex-beta-features, "
                        "x-codex-installation-id, x-codex-parent-thread-id, x-openai-subagent, "
                        "x-codex-routing-hint, x-openai-internal-codex-responses-lite, "
                        "x-responsesapi-include-timing-metrics, openai-beta]"),
    };
}

CodexConfig parseCodexConfig(const sdk::ConfigNode& config, const sdk::UpstreamIdentity& upstream) {
    CodexConfig parsed;
    parsed.upstream_path = upstream.codex_path;
    parsed.client_version = upstream.client_version;
    parsed.models_cache_ttl = cfg::getDuration(config, "models_cache_ttl");
    parsed.forward_headers = cfg::getStringList(config, "forward_headers");
    return parsed;
}

}  // namespace sluice::plugins::route_codex
