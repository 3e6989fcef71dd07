#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model_catalog.hpp"
#include "multipart_form.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "translated.hpp"
#include "turn_call.hpp"

namespace sluice::plugins::route_openai {

// Request-thread helpers shared by the /v1 handlers.

/// A complete JSON answer, with `extra` headers besides its type.
void sendJson(sdk::Exchange& exchange, int status, const nlohmann::json& body,
              const sdk::Headers& extra = {});

/// The body as a JSON object, or nullopt after answering 400 (or the host's 413).
std::optional<nlohmann::json> readJsonBody(sdk::Exchange& exchange);

/// The body as multipart/form-data, or nullopt after answering 400 (or the host's 413).
std::optional<MultipartForm> readForm(sdk::Exchange& exchange);

/// Answers a dispatch that reached the client with nothing: the gateway's typed error, or the
/// upstream's answer redacted to its status class and code.
void answerFailure(sdk::Exchange& exchange, const sdk::DispatchOutcome& outcome);

/// collectTurn() for a client that waits for one answer: the finished response object, or
/// nullopt after answering the client with the error. `kept` receives the upstream headers the
/// answer carries.
std::optional<nlohmann::json> collectAnswer(const OpenAiContext& context, sdk::Exchange& exchange,
                                            const sdk::DispatchRequest& request,
                                            sdk::Headers& kept);

/// A fresh id such as "chatcmpl-3f9a…" (the host's randomness; unique, not secret).
std::string newId(OpenAiContext& context, std::string_view prefix);

/// The host clock's wall time in unix seconds.
std::int64_t unixNow(const OpenAiContext& context);

/// A streamed Codex Responses dispatch of `body` for `model` on the caller's pool, with the
/// client's continuity headers. `body` must outlive the dispatch.
sdk::DispatchRequest turnRequest(const OpenAiContext& context, const sdk::Exchange& exchange,
                                 std::string_view body, const std::string& model,
                                 bool client_stream);

/// A model turn ready to dispatch. Neither copied nor moved: `request.body` views `body`.
struct PreparedTurn {
    PreparedTurn() = default;
    PreparedTurn(const PreparedTurn&) = delete;
    PreparedTurn& operator=(const PreparedTurn&) = delete;

    std::string body;
    sdk::DispatchRequest request;
};

/// Fills `turn` for `call`: the model passes the catalog's check, the body is serialized, and the
/// dispatch carries the client's continuity keys and is pinned to the account owning any file
/// the input references. False after answering the client with the error.
bool prepareTurn(const OpenAiContext& context, ModelCatalog& catalog, sdk::Exchange& exchange,
                 const TurnCall& call, PreparedTurn& turn);

/// The start every turn route shares: the body read, translated by `translate` into a call, and
/// the turn prepared for it. Nullopt after answering the client with the error.
template <class Call>
std::optional<Call> readTurn(const OpenAiContext& context, ModelCatalog& catalog,
                             sdk::Exchange& exchange,
                             Translated<Call> (*translate)(const nlohmann::json&),
                             PreparedTurn& turn) {
    const auto body = readJsonBody(exchange);
    if (!body) {
        return std::nullopt;
    }
    Translated<Call> call = translate(*body);
    if (!call.ok()) {
        exchange.response().sendError(call.error());
        return std::nullopt;
    }
    if (!prepareTurn(context, catalog, exchange, call.value(), turn)) {
        return std::nullopt;
    }
    return std::move(call).value();
}

}  // namespace sluice::plugins::route_openai
