#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dispatch/attempt_result.hpp"
#include "core/dispatch/phase.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/stream_grammar.hpp"
#include "core/dispatch/upstream_reader.hpp"
#include "core/upstream/sse_parser.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::dispatch {

/// Relays one upstream event stream to the client's sink. While Holding, bookkeeping events are
/// held back, so a cut, a silence or a failing first event can still fail over invisibly; the
/// first visible event commits (the head, then the held events, go out); from then on events
/// pass as they arrive. Fills the attempt's result as it goes and is Done once the attempt is
/// over. Single-threaded (the request thread).
class EventRelay final {
public:
    /// What the pool must know before the client sees it: the quota evidence the stream
    /// carries, and the id of the response it completed (`claim`, which may be empty), since a
    /// client may continue that response the moment its completion arrives.
    struct Hooks {
        std::function<void(const routing::QuotaObservation&)> learn;
        std::function<void(const std::string& response_id)> claim;
    };

    EventRelay(sdk::DispatchSink& sink, sdk::UpstreamHead head, StreamEnd stream_end,
               bool allow_failover, const sdk::Clock& clock, Hooks hooks, AttemptResult& result);

    Phase phase() const noexcept { return phase_; }

    /// Reads `reader` until the attempt is over: silence is given up after `read_timeout`, and
    /// once committed the client hears a keepalive every `keepalive` of it; a `cutoff` ends it.
    void run(UpstreamReader& reader, const StreamCutoff& cutoff,
             std::chrono::milliseconds keepalive, std::chrono::milliseconds read_timeout);

    /// Bytes of the body; false once the attempt is over.
    bool onData(std::string_view bytes);
    /// The upstream has been silent for `waited` more; false once the attempt is over.
    bool onSilence(std::chrono::milliseconds waited, std::chrono::milliseconds read_timeout);
    /// The body stopped: `framed_end` it ended where its framing said, else it broke.
    void onEnd(bool framed_end, bool broke);
    /// The gateway's shutdown cut the stream.
    void onCut();

private:
    struct HeldEvent {
        std::string type;
        std::string data;
        std::string raw;
    };

    /// Holding: keeps a bookkeeping event, fails over on a failing first event, or commits.
    bool take(const sdk::SseEvent& event);
    /// Holding -> Committed: the head and the held events go out.
    bool commit();
    /// Committed: one event to the client.
    bool deliver(const sdk::SseEvent& event);
    /// -> Done as `failure` says.
    void fail(Failure failure, std::string_view detail = {});
    /// -> Done with `end` (Completed or ClientGone).
    void finish(AttemptEnd end);

    sdk::DispatchSink& sink_;
    sdk::UpstreamHead head_;
    StreamEnd stream_end_;
    bool allow_failover_;
    const sdk::Clock& clock_;
    Hooks hooks_;
    AttemptResult& result_;
    Phase phase_ = Phase::Holding;
    upstream::SseParser parser_;
    std::vector<HeldEvent> held_;
    bool saw_terminal_ = false;
    std::chrono::milliseconds silence_{0};
};

}  // namespace sluice::core::dispatch
