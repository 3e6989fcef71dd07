#include "app_server_pool.hpp"

#include <cstring>
#include <filesystem>

#include "codex_home.hpp"

extern char** environ;  // NOLINT: POSIX

namespace sluice::plugins::route_appserver {

namespace {

/// The gateway's own environment minus anything that would point a child at other Codex
/// settings or credentials; the child gets its own CODEX_HOME and key.
std::vector<std::string> inheritedEnvironment() {
    std::vector<std::string> kept;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view variable(*entry);
        if (variable.starts_with("CODEX_") || variable.starts_with("OPENAI_") ||
            variable.starts_with("SLUICE_")) {
            continue;
        }
        kept.emplace_back(variable);
    }
    return kept;
}

SupervisorTiming timingOf(const AppServerConfig& config) {
    return {config.request_timeout,     config.start_timeout,    config.restart_backoff,
            config.max_restart_backoff, config.overload_retries, config.overload_backoff};
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
    const std::string home =
        (std::filesystem::path(config_.state_root) / ownerDirectoryName(owner)).string();
    if (sdk::Status written =
            writeCodexHome(home, codexConfigToml(url.value(), config_.defaults.model));
        !written.ok()) {
        return written;
    }
    auto credential = minter_(owner, config_.credential_ttl);
    if (!credential.ok()) {
        return sdk::Status(credential.status().code(),
                           "cannot delegate the owner's key: " + credential.status().message());
    }
    ChildSpec spec;
    spec.argv = {config_.codex_command, "app-server"};
    spec.environment = inheritedEnvironment();
    spec.environment.push_back("CODEX_HOME=" + home);
    spec.environment.push_back(std::string(kCredentialVariable) + "=" + credential.value());
    spec.working_directory = home;
    return spec;
}

}  // namespace sluice::plugins::route_appserver
