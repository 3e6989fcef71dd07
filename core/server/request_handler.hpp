#pragma once

#include "core/server/request_service.hpp"
#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// The gateway's requests. On the loop, from the head alone: path safety, built-in endpoints,
/// route match, authentication and the declared body size decide how the body is read. On a
/// worker, once it is: the body decoded, then the route family behind the host's single
/// catch-all barrier — a failure becomes a typed JSON error (or, once streaming, an aborted
/// stream), never an HTML page and never a crash — with metrics and the request log.
class RequestHandler final : public RequestService {
public:
    explicit RequestHandler(ServerContext& context) : context_(context) {}

    Admission admit(RequestHead head) noexcept override;

private:
    ServerContext& context_;
};

}  // namespace sluice::core::server
