#include "core/config/pipeline.hpp"

namespace sluice::core::config {

const StrategyDecl* Pipeline::findStrategy(const std::string& name) const {
    for (const auto& decl : strategies) {
        if (decl.name == name) {
            return &decl;
        }
    }
    return nullptr;
}

const PoolDecl* Pipeline::findPool(const std::string& name) const {
    for (const auto& decl : pools) {
        if (decl.name == name) {
            return &decl;
        }
    }
    return nullptr;
}

}  // namespace sluice::core::config
