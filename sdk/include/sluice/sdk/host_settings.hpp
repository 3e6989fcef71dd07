#pragma once

// SDK ABI 1.2: host settings a plugin reads instead of re-declaring them in its own config.

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

}  // namespace sluice::sdk
