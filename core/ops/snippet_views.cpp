#include "core/ops/snippet_views.hpp"

#include "core/cli/client_snippet.hpp"
#include "core/ops/operations.hpp"
#include "core/ops/schema.hpp"

namespace sluice::core::ops::views {

namespace s = schema;
using json = nlohmann::json;

json gatewayUrlSchema() {
    return s::text("scheme://host[:port] as clients reach the gateway", 200);
}

sdk::Status checkGatewayUrl(const json& params) {
    const auto url = stringParam(params, "gateway_url");
    if (url && !cli::isGatewayOrigin(*url)) {
        return invalidParam("gateway_url", "scheme://host[:port] without a path");
    }
    return {};
}

json codexSnippet(const control::ControlContext& control, const json& params) {
    const auto pipeline = control.pipeline();
    const auto url = stringParam(params, "gateway_url");
    const auto snippet =
        pipeline ? cli::codexClientSnippet(*pipeline, url) : std::optional<cli::ClientSnippet>();
    if (!snippet) {
        return nullptr;
    }
    return {{"base_url", snippet->base_url},
            {"env_key", snippet->env_key},
            {"config_toml", snippet->config_toml}};
}

json codexSnippetSchema() {
    return s::nullable(
        s::shape({{"base_url", s::text("the gateway's Codex backend route")},
                  {"env_key", s::text("the environment variable the Codex CLI reads the key from")},
                  {"config_toml", s::text("the provider block for ~/.codex/config.toml")}},
                 {"base_url", "env_key", "config_toml"}));
}

}  // namespace sluice::core::ops::views
