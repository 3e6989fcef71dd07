// The plugin's one exported symbol. Kept apart from the code it registers so the same code can
// be linked statically into tests (the STATIC_TWIN) without a second entry point.

#include "sluice/sdk/plugin.hpp"

#include <memory>

#include "prefer_label_factory.hpp"

namespace {

void registerFactories(sluice::sdk::Registrar& registrar) {
    registrar.addRoutingStrategy(
        std::make_unique<sluice::plugins::prefer_label::PreferLabelFactory>());
}

}  // namespace

SLUICE_PLUGIN("strategy-prefer-label", "0.1.0", registerFactories)
