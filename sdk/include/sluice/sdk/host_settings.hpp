#pragma once

// SDK ABI 1.2: host settings a plugin reads instead of re-declaring them in its own config.
// SDK ABI 1.5: HostUpstream, the host's upstream identity.

#include <cstdint>
#include <string>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

/// Where the gateway accepts connections: `server.listen` as configured, with the port the
/// listener bound (a configured port 0 becomes the ephemeral one once the server is up).
struct ListenAddress {
    std::string host;  ///< as written in `server.listen`, e.g. "127.0.0.1", "0.0.0.0", "[::1]"
    std::uint16_t port = 0;
};

/// Optional: a serving gateway's HostServices also derives from this, so a plugin finds it with
/// dynamic_cast on the HostServices its factory gets; a host lending none (a test host, a CLI
/// tool) is not serving. Thread-safe; owned by the host, it outlives every plugin object.
class SLUICE_SDK_API HostSettings {
public:
    virtual ~HostSettings() = default;
    virtual ListenAddress listenAddress() const = 0;
};

/// How the gateway presents itself to the upstream, declared once in the pipeline's `upstream:`
/// section: route families build their upstream requests from it instead of re-declaring it.
struct UpstreamIdentity {
    std::string client_version;  ///< `upstream.client_version`, e.g. "0.169.0"
    std::string codex_path;      ///< `upstream.codex_path`, e.g. "/backend-api/codex"; no '/' at
                                 ///< the end: Responses, compact, the model catalog
    std::string backend_path;    ///< `upstream.backend_path`, e.g. "/backend-api"; no '/' at the
                                 ///< end: files, transcription, WHAM, usage
};

/// Optional, found like HostSettings: dynamic_cast on the HostServices a factory gets. A route
/// family that builds upstream requests refuses to be created by a host lending none.
/// Thread-safe; owned by the host, it outlives every plugin object.
class SLUICE_SDK_API HostUpstream {
public:
    virtual ~HostUpstream() = default;
    /// Fixed for the host's life (the `upstream:` section needs a restart to change).
    virtual UpstreamIdentity upstreamIdentity() const = 0;
};

}  // namespace sluice::sdk
