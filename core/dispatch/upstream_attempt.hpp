#pragma once

#include <chrono>

#include "core/dispatch/attempt_result.hpp"
#include "core/dispatch/event_relay.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/upstream_envelope.hpp"
#include "core/dispatch/upstream_reader.hpp"
#include "core/routing/routing_table.hpp"
#include "core/upstream/connection_pool.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::dispatch {

struct AttemptTiming {
    std::chrono::milliseconds read_timeout{300'000};        ///< longest upstream silence
    std::chrono::milliseconds keepalive{10'000};            ///< idle interval after the commit
    std::chrono::milliseconds first_byte_timeout{120'000};  ///< one account's status line
    std::chrono::milliseconds answer_deadline{300'000};     ///< an answer's start, all attempts
};

/// Sends one request to one account and relays the answer. Before the commit nothing reaches
/// the client: an event stream is held back until its first visible event, so a 429, a 5xx, a
/// network error, a cut or a failing first event can still fail over invisibly. After the commit
/// the stream is relayed event by event and flushed as it arrives. Runs on the request thread.
/// While it waits on the upstream its socket is held in the StreamCutoff; an attempt the cutoff
/// wakes ends as Failure::Shutdown.
class UpstreamAttempt final {
public:
    UpstreamAttempt(upstream::ConnectionPool& connections, const UpstreamEnvelope& envelope,
                    StreamCutoff& cutoff, const sdk::Clock& clock, AttemptTiming timing)
        : connections_(connections),
          envelope_(envelope),
          cutoff_(cutoff),
          clock_(clock),
          timing_(timing) {}

    /// Told the id of a completed response before its last bytes reach the client.
    using Claim = std::function<void(const std::string& response_id)>;

    /// One attempt; its answer must begin by `answer_by` (the request's deadline) and within
    /// the first-byte timeout, else it fails over as `upstream_timeout`.
    AttemptResult run(const routing::RoutedAccount& account, const sdk::DispatchRequest& request,
                      sdk::DispatchSink& sink, bool allow_failover,
                      std::chrono::steady_clock::time_point answer_by, const Claim& claim) const;

    const AttemptTiming& timing() const noexcept { return timing_; }

private:
    /// Sends the request, waits for the answer's head and hands the answer to the step below
    /// that fits it; `left` is the time left until the request's answer deadline.
    void exchange(const routing::RoutedAccount& account, const sdk::DispatchRequest& request,
                  sdk::DispatchSink& sink, bool allow_failover,
                  std::chrono::steady_clock::duration left, const Claim& claim,
                  AttemptResult& result) const;
    /// An error answer (its body read into `result.upstream`): classified, never relayed here.
    void answerError(bool allow_failover, AttemptResult& result) const;
    /// A plain answer: committed at once and relayed as it arrives, but for its last piece,
    /// which waits until the answer is known complete and claimed.
    void relayPlain(sdk::DispatchSink& sink, const sdk::UpstreamHead& head, UpstreamReader& reader,
                    const Claim& claim, AttemptResult& result) const;
    /// How a plain answer ended: complete (its usage read and its id claimed) or failed after
    /// output.
    void endPlain(UpstreamReader::Read read, bool framed_end, std::string_view body,
                  const Claim& claim, AttemptResult& result) const;
    /// An event stream, through an EventRelay (held back until its first visible event).
    void relayEvents(const routing::RoutedAccount& account, const sdk::DispatchRequest& request,
                     sdk::DispatchSink& sink, bool allow_failover, sdk::UpstreamHead head,
                     UpstreamReader& reader, const Claim& claim, AttemptResult& result) const;
    /// Quota evidence is known to the pool before the answer reaches the client, so what the
    /// client is shown of the pool's quota includes it (the dispatcher's settle applies it too).
    void learn(const routing::RoutedAccount& account, const routing::QuotaObservation& quota) const;

    upstream::ConnectionPool& connections_;
    const UpstreamEnvelope& envelope_;
    StreamCutoff& cutoff_;
    const sdk::Clock& clock_;
    AttemptTiming timing_;
};

}  // namespace sluice::core::dispatch
