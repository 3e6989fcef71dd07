#include "sluice/plugins/common/models_cache.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"

namespace sluice::plugins::common {

namespace {

std::vector<ModelsCache::Model> modelsOf(const std::string& body) {
    std::vector<ModelsCache::Model> models;
    const auto document = common::parseJson(body);
    if (!document.is_object() || !document.contains("models") || !document["models"].is_array()) {
        return models;
    }
    for (const auto& entry : document["models"]) {
        if (!entry.is_object() || !entry.contains("slug") || !entry["slug"].is_string()) {
            continue;
        }
        ModelsCache::Model model;
        model.slug = entry["slug"].get<std::string>();
        model.listed = entry.value("visibility", "list") != "hide";
        models.push_back(std::move(model));
    }
    return models;
}

}  // namespace

const ModelsCache::Model* ModelsCache::Entry::find(const std::string& slug) const {
    for (const Model& model : models) {
        if (model.slug == slug) {
            return &model;
        }
    }
    return nullptr;
}

std::string ModelsCache::weakTag(const std::string& body) {
    return "W/\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
}

ModelsCache::EntryPtr ModelsCache::fresh(const std::string& pool,
                                         std::chrono::steady_clock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(pool);
    if (it == entries_.end() || now - it->second->fetched_at > ttl_) {
        return nullptr;
    }
    return it->second;
}

ModelsCache::EntryPtr ModelsCache::store(const std::string& pool, std::string body,
                                         std::chrono::steady_clock::time_point now,
                                         std::int64_t unix_now) {
    auto entry = std::make_shared<Entry>();
    entry->etag = weakTag(body);
    entry->models = modelsOf(body);
    entry->body = std::move(body);
    entry->fetched_at = now;
    std::lock_guard lock(mutex_);
    EntryPtr& slot = entries_[pool];
    for (Model& model : entry->models) {
        const Model* known = slot ? slot->find(model.slug) : nullptr;
        model.first_seen = known != nullptr ? known->first_seen : unix_now;
    }
    slot = entry;
    return slot;
}

ModelsCache::Fetch ModelsCache::fetch(sdk::Exchange& exchange,
                                      std::chrono::steady_clock::time_point now,
                                      std::int64_t unix_now) {
    const std::string& pool = exchange.principal().pool;
    Fetch result;
    result.entry = fresh(pool, now);
    if (result.entry) {
        return result;
    }
    sdk::DispatchRequest request;
    request.method = "GET";
    request.path = catalog_path_;
    request.route_class = sdk::RouteClass::ProxyHttp;
    CollectingSink sink;
    result.outcome = exchange.gateway().dispatch(request, sink);
    if (result.outcome.status == sdk::DispatchStatus::Completed && sink.head().status == 200) {
        result.entry = store(pool, sink.body(), now, unix_now);
    }
    return result;
}

}  // namespace sluice::plugins::common
