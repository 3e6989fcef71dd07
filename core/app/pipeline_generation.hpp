#pragma once

#include <memory>

#include "core/config/pipeline.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/metrics.hpp"

namespace sluice::core::app {

/// One configuration of a running gateway: a pipeline and the plugin registry it was loaded
/// with. Shared by the gateway while it is in force and by every strategy instance made from it
/// (bindStrategies), so a reload's generation (its pipeline, factories, and a library only it
/// loaded) is released once it is no longer in force and the last routing snapshot, and so the
/// last request, using its strategies has ended. Immutable; any thread.
class PipelineGeneration final {
public:
    /// Owns what a reload loaded.
    PipelineGeneration(std::unique_ptr<plugin::PluginRegistry> registry,
                       std::unique_ptr<config::Pipeline> pipeline, sdk::Gauge& live);
    /// Borrows what the runtime owns and keeps for longer than the gateway (the startup one).
    PipelineGeneration(plugin::PluginRegistry& registry, const config::Pipeline& pipeline,
                       sdk::Gauge& live);
    ~PipelineGeneration();
    PipelineGeneration(const PipelineGeneration&) = delete;
    PipelineGeneration& operator=(const PipelineGeneration&) = delete;

    const config::Pipeline& pipeline() const noexcept { return pipeline_; }
    plugin::PluginRegistry& registry() const noexcept { return registry_; }

private:
    // The registry goes first: its factories are plugin code, the pipeline is plain data.
    std::unique_ptr<config::Pipeline> owned_pipeline_;
    std::unique_ptr<plugin::PluginRegistry> owned_registry_;
    const config::Pipeline& pipeline_;
    plugin::PluginRegistry& registry_;
    sdk::Gauge& live_;  ///< generations alive; owned by the host, which outlives them all
};

using GenerationPtr = std::shared_ptr<const PipelineGeneration>;

/// The gauge counting live generations (`sluice_config_generations`).
sdk::Gauge& generationGauge(sdk::Metrics& metrics);

/// `strategies` with each instance holding `generation`: the instance is destroyed first, then
/// its hold on the generation is let go.
routing::StrategySet bindStrategies(routing::StrategySet strategies,
                                    const GenerationPtr& generation);

/// The generation's pipeline, sharing ownership of the generation.
std::shared_ptr<const config::Pipeline> pipelineOf(const GenerationPtr& generation);

}  // namespace sluice::core::app
