#pragma once

#include <vector>

#include "backend_context.hpp"
#include "files_handler.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/route_family.hpp"
#include "wham_handler.hpp"
#include "wham_lists.hpp"

namespace sluice::plugins::route_backend {

/// The ChatGPT backend surface besides /codex (/backend-api, /wham, /api/codex) for the Codex
/// CLI and app-server and for WHAM clients: pool usage, workspace discovery, files,
/// transcription and the WHAM task and environment API, each request on the account that owns
/// what it names.
class BackendFamily final : public sdk::RouteFamily {
public:
    BackendFamily(BackendConfig config, sdk::HostServices& host);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void serve(sdk::Exchange& exchange);
    void usage(sdk::Exchange& exchange);
    void accountsCheck(sdk::Exchange& exchange);

    BackendContext context_;
    FilesHandler files_;
    WhamHandler wham_;
    WhamLists lists_;
};

}  // namespace sluice::plugins::route_backend
