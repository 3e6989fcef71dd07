#include "openai_family.hpp"

#include <algorithm>
#include <string_view>

#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using sdk::RouteClass;

// Request bodies carry a file plus a few form fields; this much room is left for the fields.
constexpr std::uint64_t kFormOverhead = 1ULL << 20;

enum class Limit { Default, File, Audio, Image };

struct Route {
    const char* method;
    const char* path;
    const char* operation;
    RouteClass route_class;
    Limit limit = Limit::Default;
};

constexpr const char* kUnsupported = "openai.unsupported";

// The routes of the opt-in response store (StoreHandler).
constexpr std::string_view kStoreOperations[] = {
    "openai.responses_get",    "openai.responses_delete", "openai.responses_input_items",
    "openai.responses_cancel", "openai.chat_list",        "openai.chat_get",
    "openai.chat_update",      "openai.chat_delete",      "openai.chat_messages"};

constexpr Route kRoutes[] = {
    {"GET", "/models", "openai.models", RouteClass::ProxyHttp},
    {"GET", "/models/{id}", "openai.model", RouteClass::ProxyHttp},
    {"POST", "/responses", "openai.responses", RouteClass::ProxyStream},
    {"GET", "/responses", "openai.responses_websocket", RouteClass::ProxyWebsocket},
    {"POST", "/responses/compact", "openai.responses_compact", RouteClass::ProxyCompact},
    {"POST", "/responses/input_tokens", "openai.input_tokens", RouteClass::Local},
    {"POST", "/responses/count_tokens", "openai.input_tokens", RouteClass::Local},
    {"POST", "/chat/completions", "openai.chat", RouteClass::ProxyStream},
    {"POST", "/completions", "openai.completions", RouteClass::ProxyStream},
    {"GET", "/usage", "openai.usage", RouteClass::Local},
    // The opt-in response store's routes: unsupported_endpoint while it is off.
    {"GET", "/responses/{id}", "openai.responses_get", RouteClass::Local},
    {"DELETE", "/responses/{id}", "openai.responses_delete", RouteClass::Local},
    {"GET", "/responses/{id}/input_items", "openai.responses_input_items", RouteClass::Local},
    {"POST", "/responses/{id}/cancel", "openai.responses_cancel", RouteClass::Local},
    // A dispatched turn: the client waits for one answer.
    {"POST", "/responses/{id}/compact", "openai.responses_compact_stored", RouteClass::ProxyHttp},
    {"GET", "/chat/completions", "openai.chat_list", RouteClass::Local},
    {"GET", "/chat/completions/{id}", "openai.chat_get", RouteClass::Local},
    {"POST", "/chat/completions/{id}", "openai.chat_update", RouteClass::Local},
    {"PATCH", "/chat/completions/{id}", "openai.chat_update", RouteClass::Local},
    {"DELETE", "/chat/completions/{id}", "openai.chat_delete", RouteClass::Local},
    {"GET", "/chat/completions/{id}/messages", "openai.chat_messages", RouteClass::Local},
    {"GET", "/files", "openai.files_list", RouteClass::Local},
    {"POST", "/files", "openai.files_create", RouteClass::FileUpload, Limit::File},
    {"GET", "/files/{id}", "openai.files_get", RouteClass::Local},
    {"GET", "/files/{id}/content", "openai.files_content", RouteClass::Local},
    {"DELETE", "/files/{id}", "openai.files_delete", RouteClass::Local},
    {"POST", "/audio/transcriptions", "openai.transcriptions", RouteClass::AudioTranscription,
     Limit::Audio},
    {"POST", "/images/generations", "openai.images", RouteClass::ProxyHttp},
    {"POST", "/images/edits", "openai.images_edit", RouteClass::ProxyHttp, Limit::Image},
    // Routed so that they answer unsupported_endpoint (404) instead of a generic not-found.
    {"POST", "/embeddings", kUnsupported, RouteClass::Local},
    {"POST", "/moderations", kUnsupported, RouteClass::Local},
    {"POST", "/content_provenance_checks", kUnsupported, RouteClass::Local},
    {"POST", "/audio/speech", kUnsupported, RouteClass::Local},
    {"POST", "/audio/translations", kUnsupported, RouteClass::Local},
    {"POST", "/images/variations", kUnsupported, RouteClass::Local},
    {"POST", "/batches", kUnsupported, RouteClass::Local},
    {"GET", "/batches", kUnsupported, RouteClass::Local},
    {"GET", "/batches/{id}", kUnsupported, RouteClass::Local},
    {"POST", "/batches/{id}/cancel", kUnsupported, RouteClass::Local},
    {"POST", "/fine_tuning/jobs", kUnsupported, RouteClass::Local},
    {"GET", "/fine_tuning/jobs", kUnsupported, RouteClass::Local},
    {"GET", "/fine_tuning/jobs/{id}", kUnsupported, RouteClass::Local},
    {"POST", "/fine_tuning/jobs/{id}/cancel", kUnsupported, RouteClass::Local},
    {"GET", "/realtime", kUnsupported, RouteClass::Local},
    {"POST", "/realtime/sessions", kUnsupported, RouteClass::Local},
    {"POST", "/realtime/client_secrets", kUnsupported, RouteClass::Local},
    {"POST", "/realtime/calls", kUnsupported, RouteClass::Local},
    {"POST", "/realtime/transcription_sessions", kUnsupported, RouteClass::Local},
};

}  // namespace

OpenAiFamily::OpenAiFamily(OpenAiConfig config, sdk::HostServices& host, sdk::ResponseStore* store)
    : context_{config, host, host.logger("route-openai"),
               common::ModelsCache(
                   config.codex_path + "/models?client_version=" + config.client_version,
                   config.models_cache_ttl),
               store},
      catalog_(context_),
      store_(context_),
      models_(catalog_),
      responses_(context_, catalog_, store_),
      chat_(context_, catalog_, store_),
      compaction_(context_, catalog_, store_),
      files_(context_),
      audio_(context_),
      images_(context_) {}

std::vector<sdk::RouteSpec> OpenAiFamily::routes() const {
    std::vector<sdk::RouteSpec> specs;
    for (const Route& route : kRoutes) {
        sdk::RouteSpec spec{route.method, route.path, route.operation, sdk::CredentialKind::PoolKey,
                            route.route_class};
        switch (route.limit) {
            case Limit::File:
                spec.max_body_bytes = context_.config.max_file_bytes + kFormOverhead;
                break;
            case Limit::Audio:
                spec.max_body_bytes = context_.config.max_audio_bytes + kFormOverhead;
                break;
            case Limit::Image:
                spec.max_body_bytes = context_.config.max_image_bytes + kFormOverhead;
                break;
            case Limit::Default:
                break;
        }
        specs.push_back(std::move(spec));
    }
    if (!context_.config.codex_chat_alias.empty()) {
        sdk::RouteSpec alias{"POST", context_.config.codex_chat_alias, "openai.chat",
                             sdk::CredentialKind::PoolKey, RouteClass::ProxyStream};
        alias.absolute = true;
        specs.push_back(std::move(alias));
    }
    return specs;
}

void OpenAiFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

void OpenAiFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        route(exchange);
    } catch (const std::exception& e) {
        context_.logger.error("handler_failed",
                              {{"operation", exchange.operation()}, {"reason", e.what()}});
        if (!exchange.response().started()) {
            sendError(exchange, {500, "server_error", "internal_error",
                                 "the gateway failed to handle the request", "", 0, ""});
        }
    }
}

void OpenAiFamily::route(sdk::Exchange& exchange) {
    const std::string_view operation = exchange.operation();
    if (operation == "openai.responses") {
        responses_.create(exchange);
    } else if (operation == "openai.responses_compact") {
        responses_.compact(exchange);
    } else if (operation == "openai.responses_compact_stored") {
        compaction_.compact(exchange);
    } else if (operation == "openai.chat") {
        chat_.create(exchange);
    } else if (operation == "openai.completions") {
        chat_.complete(exchange);
    } else if (operation == "openai.input_tokens") {
        responses_.inputTokens(exchange);
    } else if (operation == "openai.responses_websocket") {
        responses_.websocket(exchange);
    } else if (operation == "openai.models") {
        models_.list(exchange);
    } else if (operation == "openai.model") {
        models_.retrieve(exchange);
    } else if (operation == "openai.usage") {
        usage_.get(exchange);
    } else if (operation == "openai.files_list") {
        files_.list(exchange);
    } else if (operation == "openai.files_create") {
        files_.create(exchange);
    } else if (operation == "openai.files_get") {
        files_.retrieve(exchange);
    } else if (operation == "openai.files_content" || operation == "openai.files_delete") {
        files_.refuse(exchange);
    } else if (std::find(std::begin(kStoreOperations), std::end(kStoreOperations), operation) !=
               std::end(kStoreOperations)) {
        store_.serve(exchange);
    } else if (operation == "openai.transcriptions") {
        audio_.transcribe(exchange);
    } else if (operation == "openai.images") {
        images_.generate(exchange);
    } else if (operation == "openai.images_edit") {
        images_.edit(exchange);
    } else {
        exchange.response().sendError(unsupportedEndpoint());
    }
}

}  // namespace sluice::plugins::route_openai
