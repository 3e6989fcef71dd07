#include "route_appserver_factory.hpp"

#include "appserver_family.hpp"
#include "sluice/plugins/common/gateway_url.hpp"
#include "sluice/sdk/delegated_credentials.hpp"
#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/storage_projects.hpp"

namespace sluice::plugins::route_appserver {

namespace {

class CodexProjectsFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "codex_projects"; }
    std::string description() const override {
        return "Managed coding projects over codex app-server (seed 002): /api/v1 projects, "
               "turns, live events, approvals and files, the admin raw surface and legacy /api";
    }
    std::string defaultMount() const override { return "/api"; }
    sdk::ConfigSchema schema() const override { return appServerConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        AppServerConfig parsed = parseAppServerConfig(config);
        auto* projects = dynamic_cast<sdk::HostProjects*>(&host);
        sdk::ProjectRepository* repository = projects ? projects->projectRepository() : nullptr;
        if (repository == nullptr) {
            throw sdk::ConfigError(config.path(),
                                   "codex_projects needs a storage backend that keeps projects "
                                   "(sqlite or memory)");
        }
        auto* credentials = dynamic_cast<sdk::DelegatedCredentials*>(&host);
        auto* settings = dynamic_cast<sdk::HostSettings*>(&host);
        if (credentials == nullptr || settings == nullptr) {
            throw sdk::ConfigError(config.path(),
                                   "codex_projects needs a serving gateway (delegated "
                                   "credentials and the listen address)");
        }
        CredentialMinter minter = [credentials](
                                      const std::string& owner,
                                      std::chrono::seconds ttl) -> sdk::Result<std::string> {
            auto credential = credentials->delegate(owner, ttl);
            if (!credential.ok()) {
                return credential.status();
            }
            return std::move(credential.value().token);
        };
        const std::string mount = parsed.codex_mount;
        GatewayUrlSource gateway_url = [settings, mount] {
            return common::gatewayLoopbackUrl(settings->listenAddress(), mount);
        };
        return std::make_unique<AppServerFamily>(std::move(parsed), host, *repository,
                                                 std::move(minter), std::move(gateway_url));
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<CodexProjectsFactory>());
}

}  // namespace sluice::plugins::route_appserver
