#pragma once

#include <nlohmann/json.hpp>

#include "sluice/sdk/exchange.hpp"

namespace sluice::plugins::route_openai {

/// GET /usage: the calling key's requests and tokens per UTC day (operation key.usage), over
/// `?days=N` (1-366, default 28). Request threads.
class UsageHandler final {
public:
    void get(sdk::Exchange& exchange);
};

/// The /v1 usage object from a key.usage result: totals at the top level, then the days. Pure.
nlohmann::json usageObject(const nlohmann::json& key_usage);

}  // namespace sluice::plugins::route_openai
