#include "core/server/request_handler.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>

#include "core/server/body_decoder.hpp"
#include "core/server/builtin_endpoints.hpp"
#include "core/server/error_envelope.hpp"
#include "core/server/request_gateway.hpp"
#include "sluice/sdk/request_screen.hpp"

namespace sluice::core::server {

namespace {

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

bool isBuiltinPath(std::string_view path) {
    return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

sdk::ErrorInfo tooLargeError(std::uint64_t limit) {
    return {413,
            "invalid_request_error",
            "request_too_large",
            "request body exceeds " + std::to_string(limit) + " bytes",
            "",
            0,
            ""};
}

sdk::ErrorInfo bodyError(BodyDecodeError error, std::uint64_t limit) {
    switch (error) {
        case BodyDecodeError::TooLarge:
            return tooLargeError(limit);
        case BodyDecodeError::UnsupportedEncoding:
            return {415,
                    "invalid_request_error",
                    "unsupported_content_encoding",
                    "content-encoding must be identity, gzip, deflate or zstd",
                    "",
                    0,
                    ""};
        case BodyDecodeError::Corrupt:
        case BodyDecodeError::None:
            break;
    }
    return {400,
            "invalid_request_error",
            "invalid_body_encoding",
            "request body does not match its content-encoding",
            "",
            0,
            ""};
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
// A family that accepts customers' usernames on a Pool-key route (sdk::AcceptsCustomerUsernames)
// gets the username tried once the credential is no valid key; the key's error stands otherwise.
auth::AuthOutcome screenThenAuthenticate(const ServerContext& context,
                                         const sdk::RouteFamily& family,
                                         const sdk::RouteSpec& route, const sdk::Headers& headers) {
    if (const auto* screens = dynamic_cast<const sdk::ScreensRequests*>(&family)) {
        if (std::optional<sdk::ErrorInfo> refusal = screens->screen(headers)) {
            auth::AuthOutcome refused;
            refused.error = std::move(*refusal);
            return refused;
        }
    }
    auth::AuthOutcome outcome = context.authenticator.authenticate(route.credential, headers);
    const auto* usernames = dynamic_cast<const sdk::AcceptsCustomerUsernames*>(&family);
    if (!outcome.principal && route.credential == sdk::CredentialKind::PoolKey &&
        usernames != nullptr && usernames->acceptsCustomerUsername(route.operation)) {
        if (auth::AuthOutcome named = context.authenticator.customerUsername(headers);
            named.principal) {
            return named;
        }
    }
    return outcome;
}

// One request the loop admitted, served on a worker once its body is in.
class PendingRequest final : public AdmittedRequest {
public:
    enum class Kind { Builtin, Unmatched, Unauthenticated, TooLarge, Routed };

    PendingRequest(ServerContext& context, RequestHead head, std::string path, std::string query)
        : context_(context),
          in_flight_(context),
          head_(std::move(head)),
          path_(std::move(path)),
          query_(std::move(query)),
          started_(std::chrono::steady_clock::now()),
          started_at_(std::chrono::system_clock::now()) {}

    Kind kind = Kind::Routed;
    RouteMatch match;
    sdk::Principal principal;
    sdk::ErrorInfo refusal;  ///< Unauthenticated
    std::uint64_t limit = 0;

    const RequestHead& head() const noexcept { return head_; }

    BodyPlan bodyPlan() const noexcept override {
        switch (kind) {
            case Kind::Routed:
                return BodyPlan::Read;
            case Kind::TooLarge:
                return BodyPlan::Refuse;
            default:
                return BodyPlan::Discard;
        }
    }
    std::uint64_t bodyLimit() const noexcept override { return limit; }

    void serve(ReadBody body, HttpResponseWriter& writer,
               ClientConnection& client) noexcept override {
        try {
            serveGuarded(std::move(body), writer, client);
        } catch (const std::exception& e) {
            failed(writer, e.what());
        } catch (...) {
            failed(writer, "unknown");
        }
    }

private:
    void failed(HttpResponseWriter& writer, const char* reason) noexcept {
        try {
            context_.logger.error("request_failed", {{"method", head_.method}, {"reason", reason}});
        } catch (...) {
            // Logging is best effort on the failure path.
        }
        if (!writer.started()) {
            writer.sendError(internalError());
        }
    }

    void serveGuarded(ReadBody body, HttpResponseWriter& writer, ClientConnection& client) {
        if (body.too_large || kind == Kind::TooLarge) {
            writer.closeAfter();  // the rest of the body is still on its way
        }
        if (kind == Kind::Builtin) {
            serveBuiltin(context_, head_, path_, writer);
            context_.metrics.recordUnrouted(writer.status());
        } else if (kind == Kind::Unmatched) {
            serveUnmatched(writer, client);
        } else {
            serveRouted(std::move(body), writer, client);
        }
    }

    void serveUnmatched(HttpResponseWriter& writer, ClientConnection& client) {
        const std::string& method = head_.method;
        const sdk::ErrorInfo error = match.kind == RouteMatch::Kind::MethodNotAllowed
                                         ? methodNotAllowedError(method, path_)
                                         : notFoundError(method, path_);
        if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
            std::string allow;
            for (const auto& allowed : match.allowed_methods) {
                allow += (allow.empty() ? "" : ", ") + allowed;
            }
            writer.addHeader({"Allow", allow});
        }
        if (match.family == nullptr) {
            writer.sendError(error);
        } else {
            // Answer in the dialect of the family whose mount covers the path.
            const CompiledRoute unmatched{match.family, {method, path_, "unmatched"}, path_, {}};
            accounting::RequestLedger unbooked(
                context_.request_log, originOf(method, unmatched, principal, started_at_, started_),
                context_.charges);
            RequestGateway gateway(context_, principal, unbooked);
            HttpExchange exchange(head_, path_, query_, unmatched, {}, principal, {}, gateway,
                                  writer, client);
            match.family->instance->sendError(exchange, error);
        }
        context_.metrics.recordUnrouted(error.http_status);
    }

    void serveRouted(ReadBody body, HttpResponseWriter& writer, ClientConnection& client) {
        const CompiledRoute& route = *match.route;
        sdk::RouteFamily& family = *route.owner->instance;
        accounting::RequestLedger ledger(
            context_.request_log, originOf(head_.method, route, principal, started_at_, started_),
            context_.charges);
        RequestGateway gateway(context_, principal, ledger);
        std::optional<sdk::ErrorInfo> error;
        DecodedBody decoded;
        if (kind == Kind::Unauthenticated) {
            error = refusal;
        } else if (kind == Kind::TooLarge || body.too_large) {
            error = tooLargeError(limit);
        } else {
            decoded = decodeBody(sdk::findHeader(head_.headers, "content-encoding").value_or(""),
                                 std::move(body.bytes), limit);
            if (decoded.error != BodyDecodeError::None) {
                error = bodyError(decoded.error, limit);
            }
        }
        HttpExchange exchange(head_, path_, query_, route, std::move(match.params), principal,
                              std::move(decoded.body), gateway, writer, client);
        if (error) {
            family.sendError(exchange, *error);
        } else {
            family.handle(exchange);
            if (!writer.started()) {
                context_.logger.error("handler_sent_nothing",
                                      {{"operation", route.spec.operation}});
                family.sendError(exchange, internalError());
            }
        }
        const auto finished = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(finished - started_).count();
        context_.metrics.record(route.spec.route_class, writer.status(), seconds);
        if (principal.kind == sdk::CredentialKind::PoolKey) {
            ledger.settle({writer.status(), writer.firstByteAt(), finished});
        }
    }

    ServerContext& context_;
    // From the admitted head until the answer is out: a drain waits for a body still arriving.
    InFlightGuard in_flight_;
    const RequestHead head_;
    const std::string path_;
    const std::string query_;
    const std::chrono::steady_clock::time_point started_;
    const std::chrono::system_clock::time_point started_at_;
};

}  // namespace

Admission RequestHandler::admit(RequestHead head) noexcept {
    Admission admission;
    try {
        std::string path;
        std::string query;
        try {
            const Poco::URI uri(head.target);
            path = uri.getPath();
            query = uri.getRawQuery();
        } catch (const Poco::Exception&) {
            path.clear();
        }
        if (!isSafePath(path)) {
            admission.refusal = sdk::ErrorInfo{400,
                                               "invalid_request_error",
                                               "invalid_path",
                                               "the request path is malformed",
                                               "",
                                               0,
                                               ""};
            return admission;
        }
        const std::string method = head.method;
        auto request =
            std::make_unique<PendingRequest>(context_, std::move(head), path, std::move(query));
        request->limit = context_.max_body_bytes;
        if (isBuiltinPath(path)) {
            request->kind = PendingRequest::Kind::Builtin;
        } else if (request->match = context_.routes.match(method, path);
                   request->match.kind != RouteMatch::Kind::Found) {
            request->kind = PendingRequest::Kind::Unmatched;
        } else {
            const CompiledRoute& route = *request->match.route;
            if (route.spec.max_body_bytes > 0) {
                request->limit = route.spec.max_body_bytes;
            }
            const RequestHead& admitted = request->head();
            auth::AuthOutcome auth = screenThenAuthenticate(context_, *route.owner->instance,
                                                            route.spec, admitted.headers);
            const auto declared = admitted.framing.content_length;
            if (!auth.principal) {
                request->kind = PendingRequest::Kind::Unauthenticated;
                request->refusal = std::move(auth.error);
            } else if (declared && *declared > request->limit) {
                request->kind = PendingRequest::Kind::TooLarge;
                request->principal = std::move(*auth.principal);
            } else {
                request->principal = std::move(*auth.principal);
            }
        }
        admission.request = std::move(request);
    } catch (const std::exception&) {
        admission.refusal = internalError();
        admission.request.reset();
    }
    return admission;
}

}  // namespace sluice::core::server
