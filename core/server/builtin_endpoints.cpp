#include "core/server/builtin_endpoints.hpp"

#include <string>

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

}  // namespace

bool serveBuiltin(ServerContext& context, std::string_view method, std::string_view path,
                  Poco::Net::HTTPServerResponse& response) {
    if (path != "/healthz" && path != "/readyz" && path != "/metrics") {
        return false;
    }
    using Status = Poco::Net::HTTPResponse::HTTPStatus;
    if (method != "GET" && method != "HEAD") {
        response.set("Allow", "GET, HEAD");
        reply(response, Status::HTTP_METHOD_NOT_ALLOWED, "application/json",
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
    } else {
        reply(response, Status::HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
              context.metrics_registry.renderPrometheus());
    }
    return true;
}

}  // namespace sluice::core::server
