#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// The pool's Codex catalog seen as OpenAI models: the list for /models, one model for
/// /models/{id}, and the check every model request passes before dispatch. Request threads.
class ModelCatalog final {
public:
    explicit ModelCatalog(OpenAiContext& context) : context_(context) {}

    /// The caller's pool's catalog (cached per pool), or the error to answer with.
    Translated<common::ModelsCache::EntryPtr> load(sdk::Exchange& exchange);
    /// nullopt when the pool's catalog names `model`; else the error to answer with.
    std::optional<sdk::ErrorInfo> check(sdk::Exchange& exchange, const std::string& model);

    /// {"object":"list","data":[…]} of the listed (not hidden) models. Pure.
    static nlohmann::json list(const common::ModelsCache::Entry& entry);
    /// One model object, or nullopt when the catalog does not name `slug`. Pure.
    static std::optional<nlohmann::json> model(const common::ModelsCache::Entry& entry,
                                               const std::string& slug);

private:
    OpenAiContext& context_;
};

}  // namespace sluice::plugins::route_openai
