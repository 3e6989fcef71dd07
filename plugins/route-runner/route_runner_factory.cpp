#include "route_runner_factory.hpp"

#include "runner_family.hpp"
#include "seed_environment.hpp"
#include "sluice/plugins/common/gateway_url.hpp"
#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/delegated_credentials.hpp"

namespace sluice::plugins::route_runner {

namespace {

class RunnerFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "codex_runner"; }
    std::string description() const override {
        return "The Codex runner of seed 003 (/completion, sessions, triggers, watcher, "
               "webhooks): every run is a `codex exec` child pooled through this gateway";
    }
    std::string defaultMount() const override { return "/runner"; }
    sdk::ConfigSchema schema() const override { return runnerConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        RunnerConfig parsed = parseRunnerConfig(config, seedEnvironment());
        for (const std::string& root : parsed.workspace_roots) {
            common::makePrivateDirectory(root);  // a fresh install can run at once
        }
        auto* settings = dynamic_cast<sdk::HostSettings*>(&host);
        auto* delegated = dynamic_cast<sdk::DelegatedCredentials*>(&host);
        CredentialMinter mint = [delegated](const std::string& key_id,
                                            std::chrono::seconds ttl) -> sdk::Result<std::string> {
            if (delegated == nullptr) {
                return sdk::Status(sdk::StatusCode::Unavailable,
                                   "this host lends no delegated credentials");
            }
            auto credential = delegated->delegate(key_id, ttl);
            if (!credential.ok()) {
                return credential.status();
            }
            return std::move(credential).value().token;
        };
        BackendUrl url = [settings, path = parsed.backend_path]() -> std::string {
            if (settings == nullptr) {
                return {};
            }
            auto url = common::gatewayLoopbackUrl(settings->listenAddress(), path);
            return url.ok() ? std::move(url).value() : std::string();
        };
        return std::make_unique<RunnerFamily>(
            std::move(parsed),
            RunnerHost{host.logger("runner"), host.metrics(), host.clock(), host.random(),
                       host.httpClient(), std::move(mint), std::move(url)});
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<RunnerFactory>());
}

}  // namespace sluice::plugins::route_runner
