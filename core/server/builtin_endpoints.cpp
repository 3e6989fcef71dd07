#include "core/server/builtin_endpoints.hpp"

#include <string>

#include "core/auth/authenticator.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::server {

namespace {

void reply(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
           const std::string& content_type, const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType(content_type);
    response.set("Cache-Control", "no-store");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.sendBuffer(body.data(), body.size());
}

// Pool names and account gauges are operator data: with server.metrics_token set, /metrics
// wants it as a Bearer token (compared in constant time); without it the endpoint stays open.
bool metricsAllowed(const ServerContext& context, const Poco::Net::HTTPRequest& request) {
    if (context.metrics_token.empty()) {
        return true;
    }
    const sdk::Headers presented{{"Authorization", request.get("Authorization", "")}};
    const auto token = auth::presentedCredential(sdk::CredentialKind::None, presented);
    return token && security::constantTimeEquals(*token, context.metrics_token);
}

}  // namespace

bool serveBuiltin(ServerContext& context, const Poco::Net::HTTPRequest& request,
                  std::string_view path, Poco::Net::HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    if (path != "/healthz" && path != "/readyz" && path != "/metrics") {
        return false;
    }
    using Status = Poco::Net::HTTPResponse::HTTPStatus;
    if (method != "GET" && method != "HEAD") {
        response.set("Allow", "GET, HEAD");
        reply(
            response, Status::HTTP_METHOD_NOT_ALLOWED, "application/json",
            R"({"error":{"message":"use GET","type":"invalid_request_error","code":"method_not_allowed","param":null}})");
        return true;
    }
    if (path == "/healthz") {
        reply(response, Status::HTTP_OK, "application/json", R"({"status":"ok"})");
    } else if (path == "/readyz") {
        if (context.draining.load()) {
            reply(response, Status::HTTP_SERVICE_UNAVAILABLE, "application/json",
                  R"({"status":"draining"})");
        } else if (const sdk::Status ping = context.storage.ping(); !ping.ok()) {
            reply(response, Status::HTTP_SERVICE_UNAVAILABLE, "application/json",
                  R"({"status":"not_ready","reason":"storage_unreachable"})");
        } else {
            reply(response, Status::HTTP_OK, "application/json", R"({"status":"ready"})");
        }
    } else if (!metricsAllowed(context, request)) {
        response.set("WWW-Authenticate", "Bearer");
        reply(
            response, Status::HTTP_UNAUTHORIZED, "application/json",
            R"({"error":{"message":"/metrics requires the metrics token as a Bearer token","type":"authentication_error","code":"invalid_metrics_token","param":null}})");
    } else {
        reply(response, Status::HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
              context.metrics_registry.renderPrometheus());
    }
    return true;
}

}  // namespace sluice::core::server
