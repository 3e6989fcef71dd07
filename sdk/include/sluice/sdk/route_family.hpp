#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/export.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/http.hpp"
#include "sluice/sdk/route_class.hpp"

namespace sluice::sdk {

/// One route a family serves. The host builds a single matcher from every family's routes and
/// refuses collisions at startup.
struct RouteSpec {
    std::string method;  ///< "GET", "POST", ...
    std::string path;  ///< relative to the mount; "{name}" matches one segment, e.g. "/files/{id}"
    std::string operation;  ///< stable id for logs and metrics, e.g. "codex.responses"
    CredentialKind credential = CredentialKind::PoolKey;
    RouteClass route_class = RouteClass::ProxyHttp;
    bool absolute = false;             ///< `path` is absolute, not under the mount (bare aliases)
    std::uint64_t max_body_bytes = 0;  ///< 0: the server's default limit
};

/// An HTTP API surface (Codex backend, OpenAI /v1, admin, ...), mounted at a path prefix.
/// Created once per pipeline load; handle() is called concurrently from request threads.
class SLUICE_SDK_API RouteFamily {
public:
    virtual ~RouteFamily() = default;

    /// The routes served; read once at startup.
    virtual std::vector<RouteSpec> routes() const = 0;
    /// Serves one request. Must answer through exchange.response() and never throw.
    virtual void handle(Exchange& exchange) noexcept = 0;
    /// Renders an error in the family's dialect; the host calls it for errors it detects itself
    /// (authentication, unknown route, body limits, a failing handler).
    virtual void sendError(Exchange& exchange, const ErrorInfo& error) noexcept = 0;
};

using RouteFamilyPtr = std::unique_ptr<RouteFamily>;

class SLUICE_SDK_API RouteFamilyFactory {
public:
    virtual ~RouteFamilyFactory() = default;

    /// Stable id used as `family:` in the pipeline's routes, e.g. "codex_backend".
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    /// Where the family is mounted when the pipeline does not say, e.g. "/backend-api/codex".
    virtual std::string defaultMount() const = 0;
    virtual ConfigSchema schema() const = 0;
    virtual RouteFamilyPtr create(const ConfigNode& config, HostServices& host) const = 0;
};

}  // namespace sluice::sdk
