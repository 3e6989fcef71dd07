#include "route_backend_factory.hpp"

#include "backend_family.hpp"
#include "sluice/plugins/common/host_upstream.hpp"

namespace sluice::plugins::route_backend {

namespace {

class BackendApiFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "backend_api"; }
    std::string description() const override {
        return "ChatGPT backend surface: pool usage and workspace discovery for the Codex CLI, "
               "files, "
               "transcription and the WHAM task API with task and environment affinity";
    }
    std::string defaultMount() const override { return "/backend-api"; }
    sdk::ConfigSchema schema() const override { return backendConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        return std::make_unique<BackendFamily>(
            parseBackendConfig(config, common::upstreamIdentityOf(host, config)), host);
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<BackendApiFactory>());
}

}  // namespace sluice::plugins::route_backend
