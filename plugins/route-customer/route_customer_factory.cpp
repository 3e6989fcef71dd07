#include "route_customer_factory.hpp"

#include "customer_family.hpp"

namespace sluice::plugins::route_customer {

namespace {

class CustomerFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "customer"; }
    std::string description() const override {
        return "A customer's own wallet, transactions and Pool keys (GET /me, "
               "/billing/token-usage, /wallet/status; key issue, revoke, rotate)";
    }
    std::string defaultMount() const override { return "/api/v1"; }
    sdk::ConfigSchema schema() const override { return customerConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config,
                               sdk::HostServices& host) const override {
        return std::make_unique<CustomerFamily>(parseCustomerConfig(config),
                                                dynamic_cast<const sdk::HostSettings*>(&host));
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<CustomerFactory>());
}

}  // namespace sluice::plugins::route_customer
