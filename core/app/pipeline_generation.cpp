#include "core/app/pipeline_generation.hpp"

namespace sluice::core::app {

namespace {

// Declaration order is destruction order reversed: the strategy before the generation.
struct BoundStrategy {
    GenerationPtr generation;
    std::shared_ptr<sdk::RoutingStrategy> strategy;
};

}  // namespace

PipelineGeneration::PipelineGeneration(std::unique_ptr<plugin::PluginRegistry> registry,
                                       std::unique_ptr<config::Pipeline> pipeline, sdk::Gauge& live)
    : owned_pipeline_(std::move(pipeline)),
      owned_registry_(std::move(registry)),
      pipeline_(*owned_pipeline_),
      registry_(*owned_registry_),
      live_(live) {
    live_.add(1);
}

PipelineGeneration::PipelineGeneration(plugin::PluginRegistry& registry,
                                       const config::Pipeline& pipeline, sdk::Gauge& live)
    : pipeline_(pipeline), registry_(registry), live_(live) {
    live_.add(1);
}

PipelineGeneration::~PipelineGeneration() {
    live_.add(-1);
}

sdk::Gauge& generationGauge(sdk::Metrics& metrics) {
    return metrics.gauge("sluice_config_generations",
                         "Pipeline generations held: the one in force, and reloaded-away ones "
                         "whose strategies requests still use",
                         {});
}

routing::StrategySet bindStrategies(routing::StrategySet strategies,
                                    const GenerationPtr& generation) {
    for (auto& [name, strategy] : strategies) {
        auto bound =
            std::make_shared<BoundStrategy>(BoundStrategy{generation, std::move(strategy)});
        strategy = std::shared_ptr<sdk::RoutingStrategy>(bound, bound->strategy.get());
    }
    return strategies;
}

std::shared_ptr<const config::Pipeline> pipelineOf(const GenerationPtr& generation) {
    return {generation, &generation->pipeline()};
}

}  // namespace sluice::core::app
