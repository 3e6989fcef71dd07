#include "core/admission/key_policy.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/security/bounded_json.hpp"

namespace sluice::core::admission {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 6> kEfforts{"none",   "minimal", "low",
                                                   "medium", "high",    "xhigh"};
constexpr std::array<std::string_view, 8> kFields{
    "allowed_models", "enforced_model",  "max_reasoning_effort",   "requests_per_minute",
    "tokens_per_day", "tokens_per_week", "max_tokens_per_request", "max_concurrent_streams"};

sdk::Status invalid(const std::string& field, const std::string& problem) {
    return {sdk::StatusCode::InvalidArgument, "policy." + field + ": " + problem};
}

template <class T>
sdk::Status readCount(const json& document, const char* field, std::optional<T>& out) {
    const auto it = document.find(field);
    if (it == document.end() || it->is_null()) {
        return {};
    }
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 ||
        it->get<std::uint64_t>() > std::numeric_limits<T>::max()) {
        return invalid(field, "must be a positive integer");
    }
    out = static_cast<T>(it->get<std::uint64_t>());
    return {};
}

}  // namespace

std::optional<int> effortRank(std::string_view effort) {
    for (std::size_t i = 0; i < kEfforts.size(); ++i) {
        if (kEfforts[i] == effort) {
            return static_cast<int>(i);
        }
    }
    return std::nullopt;
}

sdk::Result<KeyPolicy> parseKeyPolicy(std::string_view text) {
    const json document = security::parseJson(text.empty() ? std::string_view("{}") : text);
    if (!document.is_object()) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "policy must be a JSON object");
    }
    for (const auto& [key, value] : document.items()) {
        if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
            return invalid(key, "unknown field");
        }
    }
    KeyPolicy policy;
    if (const auto it = document.find("allowed_models"); it != document.end() && !it->is_null()) {
        if (!it->is_array()) {
            return invalid("allowed_models", "must be a list of model names");
        }
        std::vector<std::string> models;
        for (const auto& model : *it) {
            if (!model.is_string() || model.get<std::string>().empty()) {
                return invalid("allowed_models", "must be a list of model names");
            }
            models.push_back(model.get<std::string>());
        }
        policy.allowed_models = std::move(models);
    }
    if (const auto it = document.find("enforced_model"); it != document.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().empty()) {
            return invalid("enforced_model", "must be a model name");
        }
        policy.enforced_model = it->get<std::string>();
    }
    if (const auto it = document.find("max_reasoning_effort");
        it != document.end() && !it->is_null()) {
        if (!it->is_string() || !effortRank(it->get<std::string>())) {
            return invalid("max_reasoning_effort",
                           "one of none, minimal, low, medium, high, xhigh");
        }
        policy.max_reasoning_effort = it->get<std::string>();
    }
    for (const sdk::Status& status :
         {readCount(document, "requests_per_minute", policy.requests_per_minute),
          readCount(document, "tokens_per_day", policy.tokens_per_day),
          readCount(document, "tokens_per_week", policy.tokens_per_week),
          readCount(document, "max_tokens_per_request", policy.max_tokens_per_request),
          readCount(document, "max_concurrent_streams", policy.max_concurrent_streams)}) {
        if (!status.ok()) {
            return status;
        }
    }
    if (policy.enforced_model && policy.allowed_models &&
        std::find(policy.allowed_models->begin(), policy.allowed_models->end(),
                  *policy.enforced_model) == policy.allowed_models->end()) {
        return invalid("enforced_model", "is not in allowed_models");
    }
    // A running request holds its reservation against the budgets: a budget below one
    // reservation would refuse every request, with nothing used.
    for (const auto& [field, budget] : {std::pair{"tokens_per_day", policy.tokens_per_day},
                                        std::pair{"tokens_per_week", policy.tokens_per_week}}) {
        if (budget && *budget < policy.reservation()) {
            return invalid(field, "must be at least the " + std::to_string(policy.reservation()) +
                                      " tokens a request reserves (max_tokens_per_request, " +
                                      std::to_string(KeyPolicy::kDefaultReservation) +
                                      " when unset)");
        }
    }
    return policy;
}

std::string keyPolicyJson(const KeyPolicy& policy) {
    json document = json::object();
    if (policy.allowed_models) {
        document["allowed_models"] = *policy.allowed_models;
    }
    if (policy.enforced_model) {
        document["enforced_model"] = *policy.enforced_model;
    }
    if (policy.max_reasoning_effort) {
        document["max_reasoning_effort"] = *policy.max_reasoning_effort;
    }
    const auto count = [&](const char* key, const auto& value) {
        if (value) {
            document[key] = *value;
        }
    };
    count("requests_per_minute", policy.requests_per_minute);
    count("tokens_per_day", policy.tokens_per_day);
    count("tokens_per_week", policy.tokens_per_week);
    count("max_tokens_per_request", policy.max_tokens_per_request);
    count("max_concurrent_streams", policy.max_concurrent_streams);
    return document.dump();
}

}  // namespace sluice::core::admission
