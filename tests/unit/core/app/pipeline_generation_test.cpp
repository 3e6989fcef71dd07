#include "core/app/pipeline_generation.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::app {
namespace {

class CountingGauge final : public sdk::Gauge {
public:
    void set(double v) noexcept override { value = v; }
    void add(double delta) noexcept override { value += delta; }
    double value = 0;
};

// A strategy that reports its destruction, to check what is still alive at that moment.
class ReportingStrategy final : public sdk::RoutingStrategy {
public:
    explicit ReportingStrategy(std::function<void()> on_destroy)
        : on_destroy_(std::move(on_destroy)) {}
    ~ReportingStrategy() override { on_destroy_(); }
    void order(const sdk::PickContext&, std::vector<std::uint32_t>&) noexcept override {}
    void onOutcome(const sdk::Outcome&) noexcept override {}

private:
    std::function<void()> on_destroy_;
};

class ReportingFactory final : public sdk::RoutingStrategyFactory {
public:
    explicit ReportingFactory(std::function<void()> on_destroy)
        : on_destroy_(std::move(on_destroy)) {}
    std::string name() const override { return "reporting"; }
    std::string description() const override { return "test"; }
    sdk::ConfigSchema schema() const override { return {}; }
    sdk::RoutingStrategyPtr create(const sdk::ConfigNode&, sdk::HostServices&) const override {
        return std::make_unique<ReportingStrategy>(on_destroy_);
    }

private:
    std::function<void()> on_destroy_;
};

class PipelineGenerationTest : public ::testing::Test {
protected:
    // A registry holding one builtin library whose only factory makes ReportingStrategy.
    std::unique_ptr<plugin::PluginRegistry> registryWith(std::function<void()> on_destroy) {
        auto library = std::make_shared<const plugin::LoadedLibrary>("strategy-reporting", "1");
        library_ = library;
        plugin::CollectingRegistrar offered;
        offered.addRoutingStrategy(std::make_unique<ReportingFactory>(std::move(on_destroy)));
        auto registry = std::make_unique<plugin::PluginRegistry>();
        registry->accept(library, std::move(offered));
        return registry;
    }

    CountingGauge live_;
    sdk::testing::FakeHost host_;
    sdk::testing::FakeConfig::Ptr config_ = sdk::testing::FakeConfig::map({});
    std::weak_ptr<const plugin::LoadedLibrary> library_;
};

TEST_F(PipelineGenerationTest, AReloadedGenerationIsReleasedWithItsLastStrategy) {
    std::weak_ptr<const PipelineGeneration> watched;
    bool generation_alive_at_destruction = false;
    auto generation = std::make_shared<const PipelineGeneration>(
        registryWith([&] { generation_alive_at_destruction = !watched.expired(); }),
        std::make_unique<config::Pipeline>(), live_);
    watched = generation;
    routing::StrategySet made{
        {"main", generation->registry().createStrategy("reporting", *config_, host_)}};
    routing::StrategySet bound = bindStrategies(std::move(made), generation);
    generation.reset();  // no longer in force

    EXPECT_FALSE(watched.expired()) << "a routing snapshot still uses its strategy";
    EXPECT_FALSE(library_.expired());
    EXPECT_EQ(live_.value, 1);

    bound.clear();  // the last snapshot using it is gone
    EXPECT_TRUE(generation_alive_at_destruction) << "the strategy goes before its generation";
    EXPECT_TRUE(watched.expired());
    EXPECT_TRUE(library_.expired()) << "the factory and its library are let go";
    EXPECT_EQ(live_.value, 0);
}

TEST_F(PipelineGenerationTest, ThePipelineLentOutKeepsItsGeneration) {
    auto generation = std::make_shared<const PipelineGeneration>(
        registryWith([] {}), std::make_unique<config::Pipeline>(), live_);
    const std::weak_ptr<const PipelineGeneration> watched = generation;
    auto pipeline = pipelineOf(generation);
    generation.reset();
    EXPECT_FALSE(watched.expired()) << "an operator request is still reading the pipeline";
    pipeline.reset();
    EXPECT_TRUE(watched.expired());
    EXPECT_EQ(live_.value, 0);
}

TEST_F(PipelineGenerationTest, TheStartupGenerationOnlyBorrowsWhatTheRuntimeOwns) {
    auto registry = registryWith([] {});
    config::Pipeline pipeline;
    {
        const auto generation =
            std::make_shared<const PipelineGeneration>(*registry, pipeline, live_);
        EXPECT_EQ(&generation->pipeline(), &pipeline);
        EXPECT_EQ(live_.value, 1);
    }
    EXPECT_EQ(live_.value, 0);
    EXPECT_FALSE(library_.expired()) << "the runtime's registry is untouched";
}

}  // namespace
}  // namespace sluice::core::app
