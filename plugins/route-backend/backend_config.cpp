#include "backend_config.hpp"

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_backend {

namespace field = sdk::field;
namespace cfg = sdk::config;
using common::positiveDuration;
using common::positiveSize;
using common::refuseConfig;

namespace {

std::int64_t boundedInteger(const sdk::ConfigNode& config, std::string_view key, std::int64_t low,
                            std::int64_t high) {
    const auto value = cfg::getInt(config, key);
    if (value < low || value > high) {
        refuseConfig(config, key,
                     "must be from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return value;
}

}  // namespace

sdk::ConfigSchema backendConfigSchema() {
    return {
        field::stringList("forward_headers", "Client headers forwarded upstream")
            .defaultsTo(
                "[session-id, x-client-request-id, oai-device-id, oai-language, accept-language]"),
        field::size("max_file_bytes", "Largest file_size POST /files accepts").defaultsTo("25MiB"),
        field::size("max_audio_bytes", "Largest request body POST /transcribe accepts")
            .defaultsTo("25MiB"),
        field::duration("finalize_poll_interval",
                        "Pause between finalize calls while the upstream says retry")
            .defaultsTo("250ms"),
        field::duration("finalize_timeout", "Longest wait for the upstream to accept an upload")
            .defaultsTo("30s"),
        field::integer("affinity_capacity",
                       "Task and environment ids whose account (or absence) is remembered")
            .defaultsTo("100000"),
        field::integer("owner_probe_limit",
                       "Accounts asked for a task or environment id whose account is not known")
            .defaultsTo("4"),
        field::duration("owner_miss_ttl", "How long an id no account had answers 404 unasked")
            .defaultsTo("30s"),
        field::integer("default_page_size", "tasks/list page size when the client names none")
            .defaultsTo("20"),
        field::integer("max_page_size", "Largest tasks/list page served").defaultsTo("100"),
    };
}

BackendConfig parseBackendConfig(const sdk::ConfigNode& config,
                                 const sdk::UpstreamIdentity& upstream) {
    BackendConfig parsed;
    parsed.upstream_path = upstream.backend_path;
    parsed.forward_headers = cfg::getStringList(config, "forward_headers");
    parsed.max_file_bytes = positiveSize(config, "max_file_bytes");
    parsed.max_audio_bytes = positiveSize(config, "max_audio_bytes");
    parsed.finalize_poll_interval = positiveDuration(config, "finalize_poll_interval");
    parsed.finalize_timeout = positiveDuration(config, "finalize_timeout");
    parsed.affinity_capacity =
        static_cast<std::size_t>(boundedInteger(config, "affinity_capacity", 1, 10'000'000));
    parsed.owner_probe_limit =
        static_cast<std::size_t>(boundedInteger(config, "owner_probe_limit", 1, 1000));
    parsed.owner_miss_ttl = positiveDuration(config, "owner_miss_ttl");
    parsed.max_page_size = static_cast<int>(boundedInteger(config, "max_page_size", 1, 1000));
    parsed.default_page_size =
        static_cast<int>(boundedInteger(config, "default_page_size", 1, parsed.max_page_size));
    return parsed;
}

}  // namespace sluice::plugins::route_backend
