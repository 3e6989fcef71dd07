#pragma once

#include "backend_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_backend {

/// The Codex backend's own upload flow, pooled: POST /files creates the file on an account the
/// pool picks and records it there (operation files.register); the client sends the bytes to
/// the upload URL itself; POST /files/{id}/uploaded finalizes on that same account, asking again
/// while the upstream answers "retry". Later requests that reference the file are pinned to its
/// account by the responses families. Also POST /transcribe, relayed as is.
class FilesHandler final {
public:
    FilesHandler(BackendContext& context, sdk::RouteFamily& family)
        : context_(context), family_(family) {}

    void create(sdk::Exchange& exchange);
    void finalize(sdk::Exchange& exchange);
    void transcribe(sdk::Exchange& exchange);

private:
    BackendContext& context_;
    sdk::RouteFamily& family_;
};

}  // namespace sluice::plugins::route_backend
