#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/admission/admission_controller.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/storage_records.hpp"

namespace sluice::core::accounting {

/// Who asked for what, known once the route matched and the caller authenticated.
struct RequestOrigin {
    std::string pool;
    std::string key_prefix;
    std::string method;
    std::string route_path;  ///< the route's path template, e.g. "/v1/files/{id}"
    std::string operation;   ///< e.g. "codex.responses"
    std::string route_class;
    std::chrono::system_clock::time_point started_at;
    std::chrono::steady_clock::time_point started;
};

/// What the transport saw of the answer: the only facts the server reports.
struct TransportFacts {
    int status = 0;  ///< HTTP status sent to the client
    std::optional<std::chrono::steady_clock::time_point> first_byte_at;
    std::chrono::steady_clock::time_point finished;
};

/// One request, settled: its row, its usage delta and the trace its row's routing is read from.
struct SettledRequest {
    sdk::RequestLogRecord record;
    sdk::UsageBucket usage;
    dispatch::RoutingTrace trace;
};

/// Where settled requests go (the request-log writer). Thread-safe; must not block for long.
class SettledRequests {
public:
    virtual ~SettledRequests() = default;
    virtual void submit(SettledRequest settled) = 0;
};

/// Charges wallets for settled requests (billing::WalletCharger). Called on the request thread
/// by the request-log writer for every settled request; must not block on storage.
class SettledCharges {
public:
    virtual ~SettledCharges() = default;
    virtual void charge(const SettledRequest& settled) noexcept = 0;
};

/// Everything one client request owes the books, collected where it happens and settled once:
/// the routing trace the dispatcher fills, each dispatch's admission ticket and usage, the
/// refusals of the gateway, and at the end the transport's facts. Request thread only.
class RequestLedger final {
public:
    RequestLedger(SettledRequests& sink, RequestOrigin origin)
        : sink_(sink), origin_(std::move(origin)) {}
    RequestLedger(const RequestLedger&) = delete;
    RequestLedger& operator=(const RequestLedger&) = delete;

    /// Filled by the dispatcher and the websocket relay.
    dispatch::RoutingTrace& trace() noexcept { return trace_; }
    /// The gateway refused a dispatch before any account was tried.
    void refused(std::string_view model, const sdk::ErrorInfo& error);
    /// One dispatch ended: its ticket is charged with what it used, which the row adds up.
    void charge(admission::AdmissionTicket ticket, const sdk::DispatchOutcome& outcome) noexcept;
    /// A websocket relay ended; its turns were charged one by one as they closed.
    void chargedByTurns(const sdk::DispatchOutcome& outcome) noexcept;
    /// Builds the request's row and usage delta and hands them to the sink. Once per request;
    /// later calls do nothing.
    void settle(const TransportFacts& facts);

private:
    sdk::RequestLogRecord row(const TransportFacts& facts) const;
    static sdk::UsageBucket usageOf(const sdk::RequestLogRecord& row);

    SettledRequests& sink_;
    RequestOrigin origin_;
    dispatch::RoutingTrace trace_;
    sdk::TokenUsage usage_;
    bool settled_ = false;
};

}  // namespace sluice::core::accounting
