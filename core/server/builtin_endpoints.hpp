#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// Serves /healthz (process alive), /readyz (storage reachable and not draining) and /metrics
/// (Prometheus text). Returns false when `path` is not one of them.
bool serveBuiltin(ServerContext& context, std::string_view method, std::string_view path,
                  Poco::Net::HTTPServerResponse& response);

}  // namespace sluice::core::server
