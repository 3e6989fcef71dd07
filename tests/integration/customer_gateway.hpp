#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {

/// A gateway with route-customer at /api/v1 (billing on unless asked otherwise, with
/// `billing_yaml`'s extra fields) and the operations probe at /ops, plus an admin token to set
/// customers and wallets up through it.
class CustomerGatewayTest : public ::testing::Test {
protected:
    explicit CustomerGatewayTest(bool billing = true, const std::string& billing_yaml = "");

    /// Runs an admin operation; expects 200 and returns its answer.
    nlohmann::json operate(const std::string& operation, const nlohmann::json& params);

    GatewayHarness harness_;
    std::string admin_;
};

}  // namespace sluice::integration
