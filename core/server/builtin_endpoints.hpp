#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// Serves /healthz (process alive), /readyz (storage reachable and not draining) and /metrics
/// (Prometheus text; the Bearer server.metrics_token when one is set). Returns false when `path`
/// is not one of them. Request threads.
bool serveBuiltin(ServerContext& context, const Poco::Net::HTTPRequest& request,
                  std::string_view path, Poco::Net::HTTPServerResponse& response);

}  // namespace sluice::core::server
