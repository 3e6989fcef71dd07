#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "translated.hpp"

namespace sluice::plugins::route_openai {

// The documents the opt-in response store keeps, and the list pages its routes answer. Pure.

/// A Responses answer as kept: `{"response": …, "input_items": […]}`. The response says
/// `store: true` and carries the client's metadata; input items without an id get one
/// derived from the response's id and their position.
nlohmann::json responseDocument(nlohmann::json response, const nlohmann::json& input,
                                const nlohmann::json& metadata);

/// A chat.completion as kept: `{"completion": …, "messages": […]}`, the completion with the
/// client's metadata and the messages of its request as GET /chat/completions/{id}/messages
/// lists them: each with an id (the completion's, then its position), `content` as text and
/// `content_parts` the parts array when the client sent one (else null).
nlohmann::json chatDocument(nlohmann::json completion, const nlohmann::json& metadata,
                            const nlohmann::json& messages);

/// The query of a list route (after, limit, order; for chat also model and metadata[key]).
struct ListQuery {
    std::string after;
    std::uint32_t limit = 20;
    bool ascending = false;
    std::string model;
    std::vector<std::pair<std::string, std::string>> metadata;  ///< every pair must match
};

/// Parses a raw query string; `default_ascending` is the endpoint's default order, `filters`
/// whether model and metadata[…] are accepted. A bad value is a 400 naming the parameter.
Translated<ListQuery> parseListQuery(std::string_view query, bool default_ascending, bool filters);

/// True when `object`'s metadata holds every pair of `query.metadata`.
bool metadataMatches(const nlohmann::json& object, const ListQuery& query);

/// The OpenAI list shape: `{"object":"list","data","first_id","last_id","has_more"}`.
nlohmann::json listPage(std::vector<nlohmann::json> data, bool has_more);

/// One page of kept items (a response's input items, a chat completion's messages), in
/// `query`'s order after `query.after`.
nlohmann::json itemsPage(const nlohmann::json& items, const ListQuery& query);

}  // namespace sluice::plugins::route_openai
