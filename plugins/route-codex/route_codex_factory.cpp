#include "route_codex_factory.hpp"

#include "codex_backend_family.hpp"
#include "sluice/plugins/common/host_upstream.hpp"

namespace sluice::plugins::route_codex {

namespace {

class CodexBackendFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "codex_backend"; }
    std::string description() const override {
        return "Codex backend surface for the Codex CLI and SDK: models, responses, compact, "
               "images and control-plane proxies";
    }
    std::string defaultMount() const override { return "/backend-api/codex"; }
    sdk::ConfigSchema schema() const override { return codexConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        return std::make_unique<CodexBackendFamily>(
            parseCodexConfig(config, common::upstreamIdentityOf(host, config)), host);
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<CodexBackendFactory>());
}

}  // namespace sluice::plugins::route_codex
