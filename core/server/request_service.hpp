#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/server/http_exchange.hpp"
#include "core/server/request_head.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::server {

/// How a request's body is read before the request is served.
enum class BodyPlan {
    Read,     ///< kept for the route family, up to the limit
    Discard,  ///< read and dropped (the answer does not need it), up to the limit
    Refuse,   ///< left unread (declared too large): the connection closes after the answer
};

/// The body as the connection read it.
struct ReadBody {
    std::string bytes;       ///< empty unless the plan was Read
    bool too_large = false;  ///< it passed the limit: reading stopped there
};

/// A request past its head, waiting for its body and then for a worker.
class AdmittedRequest {
public:
    virtual ~AdmittedRequest() = default;
    virtual BodyPlan bodyPlan() const noexcept = 0;
    virtual std::uint64_t bodyLimit() const noexcept = 0;
    /// Worker thread: answers through `writer`; `client` is the connection it may switch.
    virtual void serve(ReadBody body, HttpResponseWriter& writer,
                       ClientConnection& client) noexcept = 0;
};

/// What admit() decided about a head.
struct Admission {
    /// Answered at once in the default dialect, without reading on; the connection closes.
    std::optional<sdk::ErrorInfo> refusal;
    std::unique_ptr<AdmittedRequest> request;  ///< otherwise
};

/// What a connection asks of the server for each request.
class RequestService {
public:
    virtual ~RequestService() = default;
    /// Loop thread, must not block: how the request whose head is in goes on.
    virtual Admission admit(RequestHead head) noexcept = 0;
};

}  // namespace sluice::core::server
