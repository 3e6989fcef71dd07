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

/// One turn of a websocket relay that ended: charged on its own, like an HTTP request.
struct SettledTurn {
    std::string model;
    std::string conversation_key;  ///< the turn's session or prompt cache key; empty: none
    std::string response_id;       ///< the upstream's, when it named one
    sdk::TokenUsage usage;
};

/// Everything one client request owes the books, collected where it happens and settled once:
/// the routing trace the dispatcher fills, each dispatch's admission ticket and usage, the
/// refusals of the gateway, and at the end the transport's facts. The one place a wallet
/// charge starts: the settled request, or each turn of a websocket relay as it ends. Request
/// thread only.
class RequestLedger final {
public:
    /// `charges` (borrowed; null: no billing) sees what is settled before the sink does.
    RequestLedger(SettledRequests& sink, RequestOrigin origin, SettledCharges* charges = nullptr)
        : sink_(sink), origin_(std::move(origin)), charges_(charges) {}
    RequestLedger(const RequestLedger&) = delete;
    RequestLedger& operator=(const RequestLedger&) = delete;

    /// Filled by the dispatcher and the websocket relay.
    dispatch::RoutingTrace& trace() noexcept { return trace_; }
    /// The gateway refused a dispatch before any account was tried.
    void refused(std::string_view model, const sdk::ErrorInfo& error);
    /// One dispatch ended: its ticket is charged with what it used, which the row adds up.
    void charge(admission::AdmissionTicket ticket, const sdk::DispatchOutcome& outcome) noexcept;
    /// The request relays a websocket: each of its turns is charged as it ends (settleTurn),
    /// the connection's row is not charged.
    void chargeByTurns() noexcept { charged_by_turns_ = true; }
    /// A websocket turn ended: it is charged on its own (by its response id, against its
    /// conversation's baseline) and its usage is added to the connection's row.
    void settleTurn(const SettledTurn& turn) noexcept;
    /// Builds the request's row and usage delta, has it charged (unless its turns were) and
    /// hands them to the sink. Once per request; later calls do nothing.
    void settle(const TransportFacts& facts);

private:
    /// A row of the origin, the answering account and `usage`; a new record id each time.
    sdk::RequestLogRecord originRow(const sdk::TokenUsage& usage) const;
    sdk::RequestLogRecord row(const TransportFacts& facts) const;
    static sdk::UsageBucket usageOf(const sdk::RequestLogRecord& row);

    SettledRequests& sink_;
    RequestOrigin origin_;
    SettledCharges* charges_;
    dispatch::RoutingTrace trace_;
    sdk::TokenUsage usage_;
    bool charged_by_turns_ = false;
    bool settled_ = false;
};

}  // namespace sluice::core::accounting
