#pragma once

// Where a child process a plugin starts (a `codex exec` run, a managed `codex app-server`)
// reaches the gateway's own routes: always loopback, whatever address the gateway listens on.

#include <string>

#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

/// `http://<host>:<port><path>` for `server.listen` with a wildcard address (0.0.0.0, ::)
/// replaced by loopback and an IPv6 address bracketed. Unavailable while the port is not known
/// (a configured port 0 before the listener bound). Any thread.
sdk::Result<std::string> gatewayLoopbackUrl(const sdk::ListenAddress& listen,
                                            const std::string& path);

}  // namespace sluice::plugins::common
