#pragma once

#include "model_catalog.hpp"
#include "sluice/sdk/exchange.hpp"

namespace sluice::plugins::route_openai {

/// GET /models and GET /models/{id} from the pool's Codex catalog. Request threads.
class ModelsHandler final {
public:
    explicit ModelsHandler(ModelCatalog& catalog) : catalog_(catalog) {}

    void list(sdk::Exchange& exchange);
    void retrieve(sdk::Exchange& exchange);

private:
    ModelCatalog& catalog_;
};

}  // namespace sluice::plugins::route_openai
