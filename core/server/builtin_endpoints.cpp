#include "core/server/builtin_endpoints.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "core/auth/authenticator.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::server {

namespace {

void reply(HttpResponseWriter& writer, int status, const std::string& content_type,
           std::string_view body) {
    writer.send(status, {{"Content-Type", content_type}, {"Cache-Control", "no-store"}}, body);
}

// Pool names and account gauges are operator data: with server.metrics_token set, /metrics
// wants it as a Bearer token (compared in constant time); without it the endpoint stays open.
bool metricsAllowed(const ServerContext& context, const RequestHead& head) {
    if (context.metrics_token.empty()) {
        return true;
    }
    const sdk::Headers presented{
        {"Authorization",
         std::string(sdk::findHeader(head.headers, "Authorization").value_or(""))}};
    const auto token = auth::presentedCredential(sdk::CredentialKind::None, presented);
    return token && security::constantTimeEquals(*token, context.metrics_token);
}

// Ready, and whether the replicas' shared state is reachable: without it this replica serves on
// its own state (ADR 0012), which the operator should see but a load balancer need not act on.
std::string readyBody(const ServerContext& context) {
    const auto degraded = context.replicas != nullptr ? context.replicas->degraded() : std::nullopt;
    if (!degraded) {
        return R"({"status":"ready"})";
    }
    return nlohmann::json{
        {"status", "ready"},
        {"shared_state", "degraded"},
        {"detail", "shared state unreachable (" + *degraded + "); serving on local state"}}
        .dump();
}

}  // namespace

void serveBuiltin(ServerContext& context, const RequestHead& head, std::string_view path,
                  HttpResponseWriter& writer) {
    const std::string json = "application/json";
    if (head.method != "GET" && head.method != "HEAD") {
        writer.addHeader({"Allow", "GET, HEAD"});
        reply(
            writer, 405, json,
            R"({"error":{"message":"use GET","type":"invalid_request_error","code":"method_not_allowed","param":null}})");
        return;
    }
    if (path == "/healthz") {
        reply(writer, 200, json, R"({"status":"ok"})");
    } else if (path == "/readyz") {
        if (context.draining.load()) {
            reply(writer, 503, json, R"({"status":"draining"})");
        } else if (const sdk::Status ping = context.storage.ping(); !ping.ok()) {
            reply(writer, 503, json, R"({"status":"not_ready","reason":"storage_unreachable"})");
        } else {
            reply(writer, 200, json, readyBody(context));
        }
    } else if (!metricsAllowed(context, head)) {
        writer.addHeader({"WWW-Authenticate", "Bearer"});
        reply(
            writer, 401, json,
            R"({"error":{"message":"/metrics requires the metrics token as a Bearer token","type":"authentication_error","code":"invalid_metrics_token","param":null}})");
    } else {
        reply(writer, 200, "text/plain; version=0.0.4; charset=utf-8",
              context.metrics_registry.renderPrometheus());
    }
}

}  // namespace sluice::core::server
