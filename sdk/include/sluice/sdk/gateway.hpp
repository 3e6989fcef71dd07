#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/http.hpp"
#include "sluice/sdk/route_class.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::sdk {

class Exchange;

/// What a route family asks the host to send upstream on the caller's pool. The host adds the
/// account's credentials and identity headers and strips anything a client must not forward.
struct DispatchRequest {
    std::string method = "POST";
    std::string path;       ///< upstream path and query, e.g. "/backend-api/codex/responses"
    Headers headers;        ///< extra headers to forward (already allow-listed by the family)
    std::string_view body;  ///< must stay valid until dispatch returns (e.g. the exchange's body)
    std::string model;      ///< for eligibility, circuits and logs; may be empty
    RouteClass route_class = RouteClass::ProxyHttp;
    bool event_stream = false;     ///< upstream answers with SSE; relay event by event
    bool allow_failover = true;    ///< false for compaction
    std::string session_key;       ///< soft affinity: keep a conversation on one account
    std::string prompt_cache_key;  ///< soft affinity seed when there is no session
    std::string pinned_account;    ///< hard pin: only this account id, or a typed 503
    std::string pin_reason;        ///< why it is pinned ("file_owner", ...)
    /// Continues this response: routed only to the account that produced it, when the host
    /// saw that response (a hard pin: never moved silently).
    std::string previous_response_id;
};

/// One Server-Sent Event from upstream.
struct SseEvent {
    std::string_view type;  ///< the JSON "type" of the data payload; empty when absent
    std::string_view data;  ///< the data payload
    std::string_view raw;   ///< the exact bytes of the event block, blank line included
};

/// The upstream response the host committed to (no failover after this point).
struct UpstreamHead {
    int status = 200;
    Headers headers;  ///< allow-listed upstream headers safe to relay to the client
};

/// Receives the committed upstream response on the request thread. Implemented by families.
class SLUICE_SDK_API DispatchSink {
public:
    virtual ~DispatchSink() = default;

    /// Called once, when the host has chosen the attempt whose response reaches the client.
    virtual void onCommit(const UpstreamHead& head) noexcept = 0;
    /// Event-stream mode: every event in order, starting with those held before the commit.
    /// Return false when the client is gone; the host then stops reading upstream.
    virtual bool onEvent(const SseEvent& event) noexcept = 0;
    /// Plain mode: body bytes as they arrive. Return false when the client is gone.
    virtual bool onBody(std::string_view bytes) noexcept = 0;
    /// The upstream has been silent for the keepalive interval after the commit.
    virtual bool onIdle() noexcept = 0;
};

struct TokenUsage {
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t reasoning_tokens = 0;
    std::uint64_t total_tokens = 0;
};

enum class DispatchStatus {
    Completed,  ///< the upstream response was relayed to its end
    Rejected,  ///< nothing reached the client; `error` says why (and `upstream` may hold an answer)
    Interrupted,  ///< committed, then the upstream broke: end the client stream with a typed error
    ClientGone,   ///< the client went away mid-response
};

/// The last upstream answer when every attempt failed with one (e.g. a final 429), so backend
/// families can pass it through verbatim; empty status when the failure was not an answer.
struct UpstreamFailure {
    int status = 0;
    Headers headers;
    std::string body;
};

struct DispatchOutcome {
    DispatchStatus status = DispatchStatus::Completed;
    ErrorInfo error;
    UpstreamFailure upstream;
    TokenUsage usage;
    std::uint32_t attempts = 0;
    std::string account_id;  ///< the account that answered (empty when none did)
};

/// The host's data plane as seen by a route family: admission, eligibility, strategy order,
/// failover and accounting for the authenticated caller's pool. Host owns it; call only from the
/// request thread that received the Exchange.
class SLUICE_SDK_API Gateway {
public:
    virtual ~Gateway() = default;

    virtual DispatchOutcome dispatch(const DispatchRequest& request,
                                     DispatchSink& sink) noexcept = 0;

    /// Websocket transport: opens an upstream websocket on an eligible account (failing over
    /// while upgrades are refused or fail), then accepts the client's upgrade on `exchange` and
    /// relays frames both ways until either side closes. The connection stays on its account.
    /// Rejected when no account accepted (status 426 when upstreams refuse websockets, so
    /// clients fall back to HTTP); the family then answers through `exchange`.
    virtual DispatchOutcome relayWebSocket(const DispatchRequest& request,
                                           Exchange& exchange) noexcept = 0;

    /// A gateway operation on behalf of the caller, JSON in and JSON out: the one surface
    /// behind the admin API, MCP tools and usage routes (catalogue in docs/operations.md).
    /// The caller's credential decides which operations it may run and on what: a Pool API
    /// key only on its own pool, an MCP token read-only, an admin token everything. Errors:
    /// NotFound, InvalidArgument (bad params), PermissionDenied, AlreadyExists,
    /// FailedPrecondition, Unavailable.
    virtual Result<std::string> operate(std::string_view operation,
                                        std::string_view params_json) noexcept = 0;
};

}  // namespace sluice::sdk
