#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/admission/key_policy.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::admission {

/// A request body made to fit a key's model rules.
struct ModelFit {
    std::optional<sdk::ErrorInfo> refusal;  ///< 403 model_not_allowed
    std::optional<std::string> body;        ///< the rewritten JSON body, when anything changed
    std::string model;                      ///< the model that will be used
};

/// Applies the enforced model, the allow-list and the reasoning-effort ceiling to a Responses-style
/// JSON body (`model`, `reasoning.effort`; websocket `response.create` frames have the same
/// shape). Efforts above the ceiling are lowered, and one is added when the body has none and
/// the upstream default (medium) is above it.
ModelFit fitModel(const KeyPolicy& policy, std::string_view model, std::string_view body);

}  // namespace sluice::core::admission
