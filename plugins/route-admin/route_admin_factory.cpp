#include "route_admin_factory.hpp"

#include "admin_config.hpp"
#include "admin_family.hpp"

namespace sluice::plugins::route_admin {

namespace {

class AdminFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "admin"; }
    std::string description() const override {
        return "Admin REST API (/admin/api/v1, admin tokens) over pools, accounts, keys, request "
               "logs, "
               "audit events, usage and MCP tokens, and the admin page (/admin)";
    }
    std::string defaultMount() const override { return "/admin"; }
    sdk::ConfigSchema schema() const override { return adminConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        return std::make_unique<AdminFamily>(parseAdminConfig(config),
                                             dynamic_cast<sdk::HostSettings*>(&host));
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<AdminFactory>());
}

}  // namespace sluice::plugins::route_admin
