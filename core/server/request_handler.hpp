#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// Handles one request: built-in endpoints, route match, authentication, then the route family
/// behind the host's single catch-all barrier — a failure becomes a typed JSON error (or, once
/// streaming, an aborted stream), never an HTML page and never a crash.
class RequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(ServerContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    ServerContext& context_;
};

class RequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(ServerContext& context) : context_(context) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    ServerContext& context_;
};

}  // namespace sluice::core::server
