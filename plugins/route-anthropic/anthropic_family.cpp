#include "anthropic_family.hpp"

#include "anthropic_errors.hpp"
#include "message_sink.hpp"
#include "sluice/plugins/common/input_tokens.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

using json = nlohmann::json;
using sdk::RouteClass;

constexpr const char* kMessages = "anthropic.messages";
constexpr const char* kCountTokens = "anthropic.count_tokens";
constexpr const char* kUnsupported = "anthropic.unsupported";

// The rest of Anthropic's /v1/messages tree (batches and whatever comes next) is routed so
// that it answers a typed not_found_error in Anthropic's envelope.
constexpr const char* kUnsupportedPaths[] = {"/messages/{a}", "/messages/{a}/{b}",
                                             "/messages/{a}/{b}/{c}"};
constexpr const char* kMethods[] = {"GET", "POST", "DELETE"};

std::string dump(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void sendJson(sdk::Exchange& exchange, const json& body, const sdk::Headers& extra = {}) {
    sdk::Headers headers{{"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    exchange.response().send(200, headers, dump(body));
}

// The conversation's session: the client's session headers (Claude Code names its own), else
// the key the translation derived from the conversation itself.
std::string sessionOf(const sdk::Exchange& exchange, const MessagesCall& call) {
    std::string session = common::sessionKey(exchange);
    if (session.empty()) {
        if (const auto claude = exchange.header("x-claude-code-session-id");
            claude && !claude->empty()) {
            session = "anthropic:" + std::string(*claude);
        }
    }
    return session.empty() ? call.continuity_key : session;
}

}  // namespace

AnthropicFamily::AnthropicFamily(AnthropicConfig config, sdk::HostServices& host)
    : config_(std::move(config)),
      models_(config_.models, config_.default_model),
      host_(host),
      logger_(host.logger("route-anthropic")) {}

std::vector<sdk::RouteSpec> AnthropicFamily::routes() const {
    std::vector<sdk::RouteSpec> specs{
        {"POST", "/messages", kMessages, sdk::CredentialKind::PoolKey, RouteClass::ProxyStream},
        {"POST", "/messages/count_tokens", kCountTokens, sdk::CredentialKind::PoolKey,
         RouteClass::Local},
    };
    for (const char* path : kUnsupportedPaths) {
        for (const char* method : kMethods) {
            specs.push_back(
                {method, path, kUnsupported, sdk::CredentialKind::PoolKey, RouteClass::Local});
        }
    }
    return specs;
}

void AnthropicFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    try {
        const AnthropicError rendered = toAnthropic(error);
        sdk::Headers headers{{"Content-Type", "application/json"}};
        if (rendered.retry_after_seconds > 0) {
            headers.push_back({"Retry-After", std::to_string(rendered.retry_after_seconds)});
        }
        exchange.response().send(rendered.status, headers, dump(errorBody(rendered)));
    } catch (const std::exception&) {
        exchange.response().sendError(error);  // allocation failure: the host's own envelope
    }
}

void AnthropicFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        route(exchange);
    } catch (const std::exception& e) {
        logger_.error("handler_failed",
                      {{"operation", exchange.operation()}, {"reason", e.what()}});
        if (!exchange.response().started()) {
            sendError(exchange, {500, "api_error", "internal_error",
                                 "the gateway failed to handle the request", "", 0, ""});
        }
    }
}

void AnthropicFamily::route(sdk::Exchange& exchange) {
    const std::string_view operation = exchange.operation();
    if (operation == kMessages) {
        createMessage(exchange);
    } else if (operation == kCountTokens) {
        countTokens(exchange);
    } else {
        sendError(exchange, unsupportedPath(exchange.path()));
    }
}

sdk::DispatchRequest AnthropicFamily::turnRequest(const sdk::Exchange& exchange,
                                                  const MessagesCall& call,
                                                  std::string_view body) const {
    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = config_.codex_path + "/responses";
    request.headers = common::forwardable(exchange, config_.forward_headers);
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = body;
    request.model = call.model;
    // Admission and circuits follow what the client waits for: a stream, or one answer.
    request.route_class = call.client_stream ? RouteClass::ProxyStream : RouteClass::ProxyHttp;
    request.event_stream = true;  // the backend is always asked for a stream
    request.session_key = sessionOf(exchange, call);
    request.prompt_cache_key = call.continuity_key;
    return request;
}

std::string AnthropicFamily::newMessageId() {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string id = "msg_";
    for (int round = 0; round < 2; ++round) {
        std::uint64_t bits = host_.random().next();
        for (int i = 0; i < 12; ++i) {
            id += kDigits[bits & 15];
            bits >>= 4;
        }
    }
    return id;
}

void AnthropicFamily::createMessage(sdk::Exchange& exchange) {
    const auto request = common::readJsonObject(exchange, *this);
    if (!request) {
        return;
    }
    Translation translation = translateMessages(*request, models_);
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&translation)) {
        sendError(exchange, *error);
        return;
    }
    const MessagesCall& call = std::get<MessagesCall>(translation);
    const std::string body = dump(call.body);
    MessageStream stream(newMessageId(), call.client_model);
    answerMessage(exchange, turnRequest(exchange, call, body), stream, call.client_stream);
}

void AnthropicFamily::answerMessage(sdk::Exchange& exchange, const sdk::DispatchRequest& request,
                                    MessageStream& stream, bool client_stream) {
    MessageSink sink(exchange.response(), stream, client_stream, config_.max_response_bytes);
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        sendError(exchange, rejectedDispatch(outcome));
        return;
    }
    if (sink.overflowed()) {  // the sink stopped reading, which the host sees as a gone client
        sendError(exchange, upstreamError("upstream_answer_too_large"));
        return;
    }
    if (outcome.status == sdk::DispatchStatus::ClientGone) {
        return;
    }
    if (!stream.ended()) {
        logger_.warn("stream_interrupted", {{"operation", exchange.operation()}});
        const sdk::ErrorInfo error = outcome.status == sdk::DispatchStatus::Interrupted
                                         ? upstreamError("upstream_stream_interrupted")
                                         : upstreamError("upstream_stream_incomplete");
        if (client_stream) {
            sink.interrupt(error);
        } else {
            sendError(exchange, error);
        }
        return;
    }
    if (!client_stream) {
        if (stream.phase() == MessageStream::Phase::Failed) {
            sendError(exchange, stream.failure());
        } else {
            sendJson(exchange, stream.message(), sink.kept());
        }
    }
}

void AnthropicFamily::countTokens(sdk::Exchange& exchange) {
    const auto request = common::readJsonObject(exchange, *this);
    if (!request) {
        return;
    }
    const Translation translation = translateMessages(*request, models_, Purpose::CountTokens);
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&translation)) {
        sendError(exchange, *error);
        return;
    }
    if (!config_.tokenizer) {
        sendError(exchange, common::tokenizerUnavailable());
        return;
    }
    sendJson(exchange,
             {{"input_tokens", common::countInputTokens(std::get<MessagesCall>(translation).body,
                                                        *config_.tokenizer)}});
}

}  // namespace sluice::plugins::route_anthropic
