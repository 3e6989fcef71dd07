#pragma once

#include <vector>

#include "codex_config.hpp"
#include "sluice/plugins/common/models_cache.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_codex {

/// The Codex backend surface (/backend-api/codex) for the real Codex CLI and SDK: the pool's
/// model catalog, Responses (streamed and not), compaction, images and the exact control-plane
/// proxy routes, each also under /v1. Model requests name a model of the pool's catalog; bodies
/// are relayed verbatim; the host does routing and failover.
class CodexBackendFamily final : public sdk::RouteFamily {
public:
    CodexBackendFamily(CodexConfig config, sdk::HostServices& host);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void handleResponses(sdk::Exchange& exchange, bool compact);
    void handleWebSocket(sdk::Exchange& exchange);
    void handleModels(sdk::Exchange& exchange);
    /// The caller's pool's model catalog (cached), or null after answering the client.
    common::ModelsCache::EntryPtr catalog(sdk::Exchange& exchange);
    /// True when the pool's catalog names `model`; else false after answering 400
    /// model_not_available (or the catalog's own failure).
    bool knownModel(sdk::Exchange& exchange, const std::string& model);
    void handleProxy(sdk::Exchange& exchange, sdk::RouteClass route_class);
    /// The upstream path for the client's path (the /v1 aliases map to the plain routes).
    std::string upstreamPath(const sdk::Exchange& exchange) const;

    CodexConfig config_;
    sdk::HostServices& host_;
    sdk::Logger& logger_;
    common::ModelsCache models_;
};

}  // namespace sluice::plugins::route_codex
