#include "customer_config.hpp"

#include <gtest/gtest.h>

#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::route_customer {
namespace {

TEST(CustomerConfigTest, DefaultsComeFromTheSchema) {
    const auto config = sdk::testing::configFromSchema(customerConfigSchema());
    const CustomerConfig parsed = parseCustomerConfig(*config);
    EXPECT_EQ(parsed.public_url, "");
    EXPECT_EQ(parsed.max_body_bytes, 64u * 1024);
}

TEST(CustomerConfigTest, APublicUrlIsAnHttpOrigin) {
    const auto good = sdk::testing::configFromSchema(customerConfigSchema(),
                                                     {{"public_url", "https://gw.example.com"}});
    EXPECT_EQ(parseCustomerConfig(*good).public_url, "https://gw.example.com");
    const auto bad =
        sdk::testing::configFromSchema(customerConfigSchema(), {{"public_url", "gw.example.com"}});
    try {
        parseCustomerConfig(*bad);
        ADD_FAILURE() << "accepted a URL without a scheme";
    } catch (const sdk::ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("public_url"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace sluice::plugins::route_customer
