#include "app_server_pool.hpp"

#include <cstring>
#include <filesystem>

#include "launch_settings.hpp"
#include "sluice/plugins/common/child_environment.hpp"
#include "sluice/plugins/common/codex_home.hpp"

namespace sluice::plugins::route_appserver {

namespace {

// Besides the usual (PATH, HOME, LANG, ...): proxy settings, so an operator who confines
// outbound traffic through a proxy confines the app-servers and the commands they run too.
const std::vector<std::string> kInheritedVariables{"HTTPS_PROXY", "HTTP_PROXY",  "ALL_PROXY",
                                                   "NO_PROXY",    "https_proxy", "http_proxy",
                                                   "all_proxy",   "no_proxy",    "SSL_CERT_FILE"};

SupervisorTiming timingOf(const AppServerConfig& config) {
    // Renewed before the credential it started with runs out: a tenth of its life early, at
    // most ten minutes.
    const auto margin =
        std::min<std::chrono::milliseconds>(config.credential_ttl / 10, std::chrono::minutes(10));
    return {config.request_timeout,        config.start_timeout,    config.restart_backoff,
            config.max_restart_backoff,    config.overload_retries, config.overload_backoff,
            config.credential_ttl - margin};
}

}  // namespace

AppServerPool::AppServerPool(const AppServerConfig& config, CredentialMinter minter,
                             GatewayUrlSource gateway_url, AppServerListener& listener)
    : config_(config),
      minter_(std::move(minter)),
      gateway_url_(std::move(gateway_url)),
      listener_(listener) {}

AppServerPool::~AppServerPool() {
    std::map<std::string, std::unique_ptr<AppServer>> servers;
    {
        std::lock_guard lock(mutex_);
        servers.swap(servers_);
    }
    servers.clear();  // each destructor stops its process
}

sdk::Result<AppServer*> AppServerPool::forOwner(const std::string& owner) {
    std::lock_guard lock(mutex_);
    if (const auto found = servers_.find(owner); found != servers_.end()) {
        return found->second.get();
    }
    if (servers_.size() >= config_.max_processes) {
        return sdk::Status(sdk::StatusCode::Unavailable,
                           "every app-server slot is taken (max_processes " +
                               std::to_string(config_.max_processes) + ")");
    }
    // Only a key that can be delegated gets a slot: an unknown or paused key would otherwise
    // hold one while its process fails to start forever.
    if (auto usable = minter_(owner, config_.credential_ttl); !usable.ok()) {
        return usable.status();
    }
    auto server = std::make_unique<AppServer>(
        owner, [this, owner] { return launchSpec(owner); }, timingOf(config_), listener_);
    AppServer* raw = server.get();
    servers_[owner] = std::move(server);
    return raw;
}

AppServer* AppServerPool::find(const std::string& owner) {
    std::lock_guard lock(mutex_);
    const auto found = servers_.find(owner);
    return found == servers_.end() ? nullptr : found->second.get();
}

std::vector<nlohmann::json> AppServerPool::status() const {
    std::vector<nlohmann::json> all;
    std::lock_guard lock(mutex_);
    for (const auto& [owner, server] : servers_) {
        all.push_back(server->status());
    }
    return all;
}

void AppServerPool::stopAll() {
    std::lock_guard lock(mutex_);
    for (const auto& [owner, server] : servers_) {
        server->stop();
    }
}

sdk::Result<ChildSpec> AppServerPool::launchSpec(const std::string& owner) const {
    const auto url = gateway_url_();
    if (!url.ok()) {
        return url.status();
    }
    const std::filesystem::path home =
        std::filesystem::path(config_.state_root) / ownerDirectoryName(owner);
    common::CodexProviderConfig provider;
    provider.base_url = url.value();
    provider.env_key = kCredentialVariable;
    provider.model = config_.defaults.model;
    // Codex 0.169 refuses `untrusted` in config.toml (it is accepted per thread and turn, which
    // is where the family's default is sent); on-request only covers calls that name none.
    provider.approval_policy = "on-request";
    provider.sandbox_mode = config_.defaults.sandbox;
    if (sdk::Status written = common::writeCodexHome(home, provider); !written.ok()) {
        return written;
    }
    auto credential = minter_(owner, config_.credential_ttl);
    if (!credential.ok()) {
        return sdk::Status(credential.status().code(),
                           "cannot delegate the owner's key: " + credential.status().message());
    }
    common::ChildEnvironment environment(kInheritedVariables);
    environment.set("CODEX_HOME", home.string());
    environment.set(kCredentialVariable, credential.value());
    ChildSpec spec;
    spec.argv = {config_.codex_command, "app-server"};
    spec.env = environment.entries();
    spec.cwd = home.string();
    return spec;
}

}  // namespace sluice::plugins::route_appserver
