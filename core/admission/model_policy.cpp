#include "core/admission/model_policy.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/security/bounded_json.hpp"

namespace sluice::core::admission {

namespace {

using json = nlohmann::json;

constexpr std::string_view kUpstreamDefaultEffort = "medium";

sdk::ErrorInfo notAllowed(std::string_view model) {
    return {403,
            "permission_error",
            "model_not_allowed",
            "this API key may not use model '" + std::string(model) + "'",
            "model",
            0,
            ""};
}

bool allowed(const KeyPolicy& policy, std::string_view model) {
    return !policy.allowed_models ||
           std::find(policy.allowed_models->begin(), policy.allowed_models->end(), model) !=
               policy.allowed_models->end();
}

// Lowers or adds reasoning.effort; true when the document changed.
bool capEffort(json& document, const std::string& ceiling) {
    const int ceiling_rank = *effortRank(ceiling);
    auto reasoning = document.find("reasoning");
    if (reasoning == document.end() || !reasoning->is_object()) {
        if (*effortRank(kUpstreamDefaultEffort) <= ceiling_rank) {
            return false;
        }
        document["reasoning"] = json{{"effort", ceiling}};
        return true;
    }
    const auto effort = reasoning->find("effort");
    if (effort == reasoning->end() || !effort->is_string()) {
        if (*effortRank(kUpstreamDefaultEffort) <= ceiling_rank) {
            return false;
        }
        (*reasoning)["effort"] = ceiling;
        return true;
    }
    const auto rank = effortRank(effort->get<std::string>());
    if (rank && *rank <= ceiling_rank) {
        return false;
    }
    (*reasoning)["effort"] = ceiling;  // unknown words are replaced too: never above the ceiling
    return true;
}

}  // namespace

ModelFit fitModel(const KeyPolicy& policy, std::string_view model, std::string_view body) {
    ModelFit fit;
    fit.model = policy.enforced_model.value_or(std::string(model));
    if (!allowed(policy, fit.model)) {
        fit.refusal = notAllowed(fit.model);
        return fit;
    }
    const bool rename = fit.model != model;
    if (!rename && !policy.max_reasoning_effort) {
        return fit;
    }
    json document = security::parseJson(body);
    if (!document.is_object()) {
        // Not a JSON body (e.g. a multipart upload): nothing can be rewritten safely.
        if (rename) {
            fit.refusal = notAllowed(model);
        }
        return fit;
    }
    bool changed = false;
    if (rename) {
        document["model"] = fit.model;
        changed = true;
    }
    if (policy.max_reasoning_effort) {
        changed = capEffort(document, *policy.max_reasoning_effort) || changed;
    }
    if (changed) {
        fit.body = document.dump();
    }
    return fit;
}

}  // namespace sluice::core::admission
