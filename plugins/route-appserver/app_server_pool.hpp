#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app_server.hpp"
#include "appserver_config.hpp"

namespace sluice::plugins::route_appserver {

/// Mints the delegated Pool credential an owner's app-server presents to the gateway.
using CredentialMinter =
    std::function<sdk::Result<std::string>(const std::string& owner, std::chrono::seconds ttl)>;
/// The gateway's own Codex route on loopback, asked at every start (the port is known late).
using GatewayUrlSource = std::function<sdk::Result<std::string>()>;

/// One app-server per owner key (docs/adr/0005-appserver-processes.md), created on first use up
/// to `max_processes`, each with its own CODEX_HOME and the owner's delegated credential, so
/// every model call a turn makes is the owner's. Thread-safe; servers live until the pool does.
class AppServerPool final {
public:
    AppServerPool(const AppServerConfig& config, CredentialMinter minter,
                  GatewayUrlSource gateway_url, AppServerListener& listener);
    ~AppServerPool();

    /// The owner's server, created when it has none. Unavailable when the pool is full;
    /// NotFound or FailedPrecondition when the owner's key cannot be delegated (unknown, paused).
    sdk::Result<AppServer*> forOwner(const std::string& owner);
    /// The owner's server if it has one.
    AppServer* find(const std::string& owner);
    /// status() of every server, by owner.
    std::vector<nlohmann::json> status() const;
    /// Stops every server (they start again on next use).
    void stopAll();

private:
    sdk::Result<ChildSpec> launchSpec(const std::string& owner) const;

    const AppServerConfig& config_;
    const CredentialMinter minter_;
    const GatewayUrlSource gateway_url_;
    AppServerListener& listener_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<AppServer>> servers_;
};

}  // namespace sluice::plugins::route_appserver
