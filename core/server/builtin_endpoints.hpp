#pragma once

#include <string_view>

#include "core/server/http_exchange.hpp"
#include "core/server/request_head.hpp"
#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// Serves /healthz (process alive), /readyz (storage reachable and not draining; says when the
/// replicas' shared state is unreachable, ADR 0012) and /metrics
/// (Prometheus text; the Bearer server.metrics_token when one is set) at `path`, which is one
/// of them. Worker threads (/readyz pings the storage).
void serveBuiltin(ServerContext& context, const RequestHead& head, std::string_view path,
                  HttpResponseWriter& writer);

}  // namespace sluice::core::server
