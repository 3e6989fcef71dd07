#include "core/server/request_handler.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>

#include "core/http/message_framing.hpp"
#include "core/observability/fatal_signal.hpp"
#include "core/server/builtin_endpoints.hpp"
#include "core/server/error_envelope.hpp"
#include "core/server/http_exchange.hpp"
#include "core/server/request_gateway.hpp"
#include "sluice/sdk/request_screen.hpp"

namespace sluice::core::server {

namespace {

void sendDefaultError(Poco::Net::HTTPServerResponse& response, const sdk::ErrorInfo& error) {
    HttpResponseWriter(response, nullptr).sendError(error);
}

// RFC 9112 §6.1/§6.3: a request whose body end is in doubt is refused and its connection
// closed, since whatever follows could be read as another client's request.
std::optional<sdk::ErrorInfo> framingRefusal(const Poco::Net::HTTPServerRequest& request) {
    const http::FramingProblem problem = http::framingOf(request).problem;
    if (problem == http::FramingProblem::None) {
        return std::nullopt;
    }
    const bool unknown_coding = problem == http::FramingProblem::UnknownCoding;
    return sdk::ErrorInfo{unknown_coding ? 501 : 400,
                          "invalid_request_error",
                          unknown_coding ? "unsupported_transfer_coding" : "invalid_framing",
                          "the request has " + std::string(http::describe(problem)),
                          "",
                          0,
                          ""};
}

bool isSafePath(const std::string& path) {
    if (path.empty() || path.front() != '/' || path.find('\0') != std::string::npos) {
        return false;
    }
    for (const auto& segment : splitPath(path)) {
        if (segment == "." || segment == "..") {
            return false;
        }
    }
    return true;
}

class InFlightGuard {
public:
    explicit InFlightGuard(ServerContext& context) : context_(context) {
        ++context_.in_flight;
        context_.metrics.inFlight().add(1);
    }
    ~InFlightGuard() {
        --context_.in_flight;
        context_.metrics.inFlight().add(-1);
    }
    InFlightGuard(const InFlightGuard&) = delete;
    InFlightGuard& operator=(const InFlightGuard&) = delete;

private:
    ServerContext& context_;
};

// Who asked for what, for the request's ledger (metadata only: never a body or a credential).
accounting::RequestOrigin originOf(const std::string& method, const CompiledRoute& route,
                                   const sdk::Principal& principal,
                                   std::chrono::system_clock::time_point started_at,
                                   std::chrono::steady_clock::time_point started) {
    return {principal.pool,
            principal.id,
            method,
            route.pattern,
            route.spec.operation,
            std::string(sdk::routeClassName(route.spec.route_class)),
            started_at,
            started};
}

// A family that screens its requests (sdk::ScreensRequests, e.g. the admin Host allow-list)
// refuses before any credential is looked at; its refusal travels the authentication path.
auth::AuthOutcome screenThenAuthenticate(const ServerContext& context,
                                         const sdk::RouteFamily& family,
                                         sdk::CredentialKind credential,
                                         const sdk::Headers& headers) {
    if (const auto* screens = dynamic_cast<const sdk::ScreensRequests*>(&family)) {
        if (std::optional<sdk::ErrorInfo> refusal = screens->screen(headers)) {
            auth::AuthOutcome refused;
            refused.error = std::move(*refusal);
            return refused;
        }
    }
    return context.authenticator.authenticate(credential, headers);
}

}  // namespace

Poco::Net::HTTPRequestHandler* RequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    head_deadlines_.arrived(request.clientAddress());
    return new RequestHandler(context_, head_deadlines_);
}

void RequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response) {
    InFlightGuard guard(context_);
    // Runs last, once the answer is out: the next head on this connection is due from then.
    const struct Answered {
        HeadDeadlines& deadlines;
        const Poco::Net::SocketAddress peer;
        ~Answered() { deadlines.answered(peer); }
    } answered{head_deadlines_, request.clientAddress()};
    try {
        handle(request, response);
    } catch (const std::exception& e) {
        context_.logger.error("request_failed",
                              {{"method", request.getMethod()}, {"reason", e.what()}});
        if (!response.sent()) {
            sendDefaultError(response, internalError());
        }
    } catch (...) {
        context_.logger.error("request_failed",
                              {{"method", request.getMethod()}, {"reason", "unknown"}});
        if (!response.sent()) {
            sendDefaultError(response, internalError());
        }
    }
}

void RequestHandler::handle(Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
    observability::fatal_signal::prepareThread();
    const auto started = std::chrono::steady_clock::now();
    const auto started_at = std::chrono::system_clock::now();
    const std::string& method = request.getMethod();
    if (const auto refusal = framingRefusal(request)) {
        response.setKeepAlive(false);
        sendDefaultError(response, *refusal);
        context_.metrics.recordUnrouted(refusal->http_status);
        return;
    }
    std::string path;
    std::string query;
    try {
        const Poco::URI uri(request.getURI());
        path = uri.getPath();
        query = uri.getRawQuery();
    } catch (const Poco::Exception&) {
        path.clear();
    }
    if (!isSafePath(path)) {
        response.setKeepAlive(false);
        sendDefaultError(response, {400, "invalid_request_error", "invalid_path",
                                    "the request path is malformed", "", 0, ""});
        context_.metrics.recordUnrouted(400);
        return;
    }
    if (serveBuiltin(context_, request, path, response)) {
        context_.metrics.recordUnrouted(static_cast<int>(response.getStatus()));
        return;
    }

    RouteMatch match = context_.routes.match(method, path);
    if (match.kind != RouteMatch::Kind::Found) {
        const sdk::ErrorInfo error = match.kind == RouteMatch::Kind::MethodNotAllowed
                                         ? methodNotAllowedError(method, path)
                                         : notFoundError(method, path);
        if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
            std::string allow;
            for (const auto& allowed : match.allowed_methods) {
                allow += (allow.empty() ? "" : ", ") + allowed;
            }
            response.set("Allow", allow);
        }
        if (!drainRequestBody(request, context_.max_body_bytes)) {
            response.setKeepAlive(false);
        }
        if (match.family == nullptr) {
            sendDefaultError(response, error);
        } else {
            // Answer in the dialect of the family whose mount covers the path.
            const CompiledRoute unmatched{match.family, {method, path, "unmatched"}, path, {}};
            const sdk::Principal nobody;
            accounting::RequestLedger unbooked(
                context_.request_log, originOf(method, unmatched, nobody, started_at, started));
            RequestGateway gateway(context_, nobody, unbooked);
            HttpExchange exchange(request, response, path, query, unmatched, {},
                                  copyHeaders(request), nobody, context_.max_body_bytes, gateway);
            match.family->instance->sendError(exchange, error);
        }
        context_.metrics.recordUnrouted(error.http_status);
        return;
    }

    const CompiledRoute& route = *match.route;
    sdk::Headers headers = copyHeaders(request);
    auth::AuthOutcome auth =
        screenThenAuthenticate(context_, *route.owner->instance, route.spec.credential, headers);
    const std::uint64_t body_limit =
        route.spec.max_body_bytes > 0 ? route.spec.max_body_bytes : context_.max_body_bytes;
    const sdk::Principal principal = auth.principal ? std::move(*auth.principal) : sdk::Principal{};
    accounting::RequestLedger ledger(context_.request_log,
                                     originOf(method, route, principal, started_at, started));
    RequestGateway gateway(context_, principal, ledger);
    HttpExchange exchange(request, response, std::move(path), std::move(query), route,
                          std::move(match.params), std::move(headers), principal, body_limit,
                          gateway);
    sdk::RouteFamily& family = *route.owner->instance;
    if (!auth.principal) {
        if (!exchange.discardUnreadBody()) {
            response.setKeepAlive(false);
        }
        family.sendError(exchange, auth.error);
    } else if (request.hasContentLength() &&
               static_cast<std::uint64_t>(request.getContentLength64()) > body_limit) {
        response.setKeepAlive(false);
        family.sendError(
            exchange, {413, "invalid_request_error", "request_too_large",
                       "request body exceeds " + std::to_string(body_limit) + " bytes", "", 0, ""});
    } else {
        family.handle(exchange);
        if (!exchange.writer().started()) {
            context_.logger.error("handler_sent_nothing", {{"operation", route.spec.operation}});
            family.sendError(exchange, internalError());
        }
        if (!exchange.discardUnreadBody()) {
            exchange.writer().abort();
        }
    }
    const auto finished = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(finished - started).count();
    context_.metrics.record(route.spec.route_class, exchange.writer().status(), seconds);
    if (principal.kind == sdk::CredentialKind::PoolKey) {
        ledger.settle({exchange.writer().status(), exchange.writer().firstByteAt(), finished});
    }
}

}  // namespace sluice::core::server
