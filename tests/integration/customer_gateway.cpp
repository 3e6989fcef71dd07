#include "tests/integration/customer_gateway.hpp"

#include "sluice/sdk/abi.hpp"
#include "tests/integration/operations_route.hpp"

namespace sluice::integration {

namespace {

HarnessOptions customerGateway(bool billing, const std::string& billing_yaml) {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.billing = billing;
    o.billing_yaml = billing_yaml;
    o.plugins = {"route-customer", "route-operations-probe"};
    o.builtins = {
        {"route-operations-probe", &sdk::detail::registerTrampoline<registerOperationsRoute>}};
    o.extra_routes = {"{ family: customer }", "{ family: operations_probe, mount: /ops }"};
    return o;
}

}  // namespace

CustomerGatewayTest::CustomerGatewayTest(bool billing, const std::string& billing_yaml)
    : harness_(customerGateway(billing, billing_yaml)) {
    admin_ = harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
}

nlohmann::json CustomerGatewayTest::operate(const std::string& operation,
                                            const nlohmann::json& params) {
    const HttpReply reply = harness_.request("POST", "/ops/admin/" + operation, params.dump(),
                                             {{"Authorization", "Bearer " + admin_}}, false);
    EXPECT_EQ(reply.status, 200) << operation << ": " << reply.body;
    return nlohmann::json::parse(reply.body, nullptr, false);
}

}  // namespace sluice::integration
