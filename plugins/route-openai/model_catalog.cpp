#include "model_catalog.hpp"

#include <algorithm>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

// The OpenAI model object for one catalog entry; the catalog's own facts ride along so
// clients can pick models (context window, modalities, reasoning efforts).
json modelObject(const json& entry, const common::ModelsCache::Model& model) {
    json object{{"id", model.slug},
                {"object", "model"},
                {"created", model.first_seen},
                {"owned_by", "sluice"}};
    if (isString(entry, "display_name")) {
        object["display_name"] = entry["display_name"];
    }
    if (const auto window = countOf(entry, "context_window")) {
        const std::uint64_t share = std::min<std::uint64_t>(
            countOf(entry, "effective_context_window_percent").value_or(100), 100);
        object["context_length"] = *window / 100 * share + *window % 100 * share / 100;
    }
    if (member(entry, "input_modalities").is_array()) {
        object["input_modalities"] = entry["input_modalities"];
    }
    json efforts = json::array();
    const json& levels = member(entry, "supported_reasoning_levels");
    for (const json& level : levels.is_array() ? levels : json::array()) {
        if (isString(level, "effort")) {
            efforts.push_back(level["effort"]);
        }
    }
    object["reasoning_efforts"] = std::move(efforts);
    return object;
}

// The raw catalog entries by slug, for the facts ModelsCache does not keep.
json entriesBySlug(const std::string& body) {
    json by_slug = json::object();
    const json document = parseJson(body);
    const json& models = member(document, "models");
    for (const json& entry : models.is_array() ? models : json::array()) {
        if (isString(entry, "slug")) {
            by_slug[entry["slug"].get<std::string>()] = entry;
        }
    }
    return by_slug;
}

}  // namespace

Translated<common::ModelsCache::EntryPtr> ModelCatalog::load(sdk::Exchange& exchange) {
    const common::ModelsCache::Fetch fetched =
        context_.models.fetch(exchange, context_.host.clock().steadyNow(), unixNow(context_));
    if (fetched.entry) {
        return fetched.entry;
    }
    if (fetched.outcome.status == sdk::DispatchStatus::Rejected) {
        return redactedFailure(fetched.outcome);
    }
    return upstreamError("model_catalog_unavailable");
}

std::optional<sdk::ErrorInfo> ModelCatalog::check(sdk::Exchange& exchange,
                                                  const std::string& model) {
    auto entry = load(exchange);
    if (!entry.ok()) {
        return entry.error();
    }
    if (entry.value()->find(model) == nullptr) {
        return modelNotAvailable(model);
    }
    return std::nullopt;
}

json ModelCatalog::list(const common::ModelsCache::Entry& entry) {
    const json by_slug = entriesBySlug(entry.body);
    json data = json::array();
    for (const auto& model : entry.models) {
        if (model.listed) {
            data.push_back(modelObject(member(by_slug, model.slug.c_str()), model));
        }
    }
    return {{"object", "list"}, {"data", std::move(data)}};
}

std::optional<json> ModelCatalog::model(const common::ModelsCache::Entry& entry,
                                        const std::string& slug) {
    const common::ModelsCache::Model* model = entry.find(slug);
    if (model == nullptr) {
        return std::nullopt;
    }
    return modelObject(member(entriesBySlug(entry.body), slug.c_str()), *model);
}

}  // namespace sluice::plugins::route_openai
