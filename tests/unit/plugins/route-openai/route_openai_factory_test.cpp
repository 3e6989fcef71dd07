#include "route_openai_factory.hpp"

#include <gtest/gtest.h>

#include "openai_config.hpp"
#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/route_family.hpp"
#include "sluice/sdk/storage_responses.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::route_openai {
namespace {

class CapturingRegistrar final : public sdk::Registrar {
public:
    void addRouteFamily(std::unique_ptr<sdk::RouteFamilyFactory> factory) override {
        family = std::move(factory);
    }
    void addRoutingStrategy(std::unique_ptr<sdk::RoutingStrategyFactory>) override {}
    void addStorageBackend(std::unique_ptr<sdk::StorageBackendFactory>) override {}

    std::unique_ptr<sdk::RouteFamilyFactory> family;
};

/// A serving host's capabilities as route-openai looks for them; `lends_store` says whether it
/// also derives from HostResponseStore (a storage backend that keeps stored answers).
class TestHost final : public sdk::HostServices,
                       public sdk::HostUpstream,
                       public sdk::HostResponseStore {
public:
    sdk::Logger& logger(std::string_view component) override { return fake_.logger(component); }
    sdk::Metrics& metrics() override { return fake_.metrics(); }
    const sdk::Clock& clock() override { return fake_.clock(); }
    sdk::Random& random() override { return fake_.random(); }
    sdk::HttpClient& httpClient() override { return fake_.httpClient(); }
    sdk::UpstreamIdentity upstreamIdentity() const override {
        return {"0.169.0", "/backend-api/codex", "/backend-api"};
    }
    /// Null, as when the storage backend keeps no stored answers.
    sdk::ResponseStore* responseStore() noexcept override { return nullptr; }

private:
    sdk::testing::FakeHost fake_;
};

std::unique_ptr<sdk::RouteFamilyFactory> openAiFactory() {
    CapturingRegistrar registrar;
    registerFactories(registrar);
    return std::move(registrar.family);
}

TEST(RouteOpenAiFactoryTest, TheStoreIsOffByDefault) {
    const auto config = sdk::testing::configFromSchema(openAiConfigSchema());
    EXPECT_FALSE(parseOpenAiConfig(*config, {}).response_store);
    EXPECT_EQ(parseOpenAiConfig(*config, {}).response_store_retention, std::chrono::days(30));
    TestHost host;  // lends no response store: nothing asks for one
    EXPECT_NE(openAiFactory()->create(*config, host), nullptr);
}

TEST(RouteOpenAiFactoryTest, TheStoreOnAHostWithoutOneIsAnErrorNamingTheKey) {
    const auto config =
        sdk::testing::configFromSchema(openAiConfigSchema(), {{"response_store", "true"}});
    TestHost host;
    try {
        openAiFactory()->create(*config, host);
        FAIL() << "a store without a backend that keeps one was accepted";
    } catch (const sdk::ConfigError& e) {
        EXPECT_EQ(e.path(), config->get("response_store")->path());
        EXPECT_NE(e.message().find("keeps stored responses"), std::string::npos) << e.message();
    }
}

TEST(RouteOpenAiFactoryTest, TheRetentionMustBePositive) {
    const auto config =
        sdk::testing::configFromSchema(openAiConfigSchema(), {{"response_store_retention", "0s"}});
    EXPECT_THROW(parseOpenAiConfig(*config, {}), sdk::ConfigError);
}

}  // namespace
}  // namespace sluice::plugins::route_openai
