#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "core/server/head_deadlines.hpp"
#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// Handles one request: built-in endpoints, route match, authentication, then the route family
/// behind the host's single catch-all barrier — a failure becomes a typed JSON error (or, once
/// streaming, an aborted stream), never an HTML page and never a crash.
class RequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    RequestHandler(ServerContext& context, HeadDeadlines& head_deadlines)
        : context_(context), head_deadlines_(head_deadlines) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    ServerContext& context_;
    HeadDeadlines& head_deadlines_;
};

class RequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    RequestHandlerFactory(ServerContext& context, HeadDeadlines& head_deadlines)
        : context_(context), head_deadlines_(head_deadlines) {}
    /// Called once a request's head is in: its connection's head deadline no longer applies.
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;
    /// Tells every open connection the server stopped; `abort` shuts their sockets down.
    void stopConnections(bool abort) { serverStopped(this, abort); }

private:
    ServerContext& context_;
    HeadDeadlines& head_deadlines_;
};

}  // namespace sluice::core::server
