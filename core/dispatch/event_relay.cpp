#include "core/dispatch/event_relay.hpp"

#include "core/dispatch/response_completion.hpp"

namespace sluice::core::dispatch {

namespace {

bool isHidden(std::string_view type) {
    // Bookkeeping events: relayed, but they do not make output visible.
    return type == "response.created" || type == "response.in_progress" ||
           type == "response.queued" || type == "codex.rate_limits";
}

bool isTerminal(std::string_view type) {
    return type == "response.completed" || type == "response.done" || type == "response.failed" ||
           type == "response.incomplete" || type == "error";
}

bool isFailure(std::string_view type) {
    return type == "response.failed" || type == "response.incomplete" || type == "error";
}

}  // namespace

EventRelay::EventRelay(sdk::DispatchSink& sink, sdk::UpstreamHead head, StreamEnd stream_end,
                       bool allow_failover, const sdk::Clock& clock, Hooks hooks,
                       AttemptResult& result)
    : sink_(sink),
      head_(std::move(head)),
      stream_end_(stream_end),
      allow_failover_(allow_failover),
      clock_(clock),
      hooks_(std::move(hooks)),
      result_(result) {}

void EventRelay::run(UpstreamReader& reader, const StreamCutoff& cutoff,
                     std::chrono::milliseconds keepalive, std::chrono::milliseconds read_timeout) {
    std::string chunk;
    while (phase_ != Phase::Done) {
        chunk.clear();
        const auto wait =
            phase_ == Phase::Committed ? std::min(keepalive, read_timeout) : read_timeout;
        const auto read = reader.readSome(chunk, wait);
        if (read == UpstreamReader::Read::Data) {
            onData(chunk);
        } else if (read == UpstreamReader::Read::Idle) {
            onSilence(wait, read_timeout);
        } else if (cutoff.isCut() && !(read == UpstreamReader::Read::End && reader.finished())) {
            onCut();
        } else {
            onEnd(reader.finished(), read == UpstreamReader::Read::Error);
        }
    }
}

bool EventRelay::onData(std::string_view bytes) {
    silence_ = std::chrono::milliseconds(0);
    parser_.feed(bytes);
    if (parser_.overflowed()) {
        fail(phase_ == Phase::Holding ? Failure::EventTooLarge : Failure::EventTooLargeAfterOutput);
        return false;
    }
    sdk::SseEvent event;
    while (parser_.take(event)) {
        const bool more = phase_ == Phase::Holding ? take(event) : deliver(event);
        if (!more) {
            return false;
        }
    }
    return true;
}

bool EventRelay::onSilence(std::chrono::milliseconds waited,
                           std::chrono::milliseconds read_timeout) {
    silence_ += waited;
    if (silence_ >= read_timeout) {
        fail(phase_ == Phase::Holding ? Failure::SilentBeforeOutput : Failure::SilentAfterOutput);
        return false;
    }
    if (phase_ == Phase::Committed && !sink_.onIdle()) {
        finish(AttemptEnd::ClientGone);
        return false;
    }
    return true;
}

void EventRelay::onEnd(bool framed_end, bool broke) {
    const bool clean =
        !broke && (stream_end_ == StreamEnd::FinalEvent ? saw_terminal_ : framed_end);
    if (clean) {
        // A stream that is not Responses events may end cleanly before anything visible: that
        // is still its answer.
        const bool delivered = phase_ == Phase::Committed || commit();
        finish(delivered ? AttemptEnd::Completed : AttemptEnd::ClientGone);
    } else if (phase_ == Phase::Holding) {
        fail(broke ? Failure::NetworkError : Failure::CutBeforeOutput);
    } else {
        fail(saw_terminal_ ? Failure::NetworkErrorAfterOutput : Failure::CutAfterOutput);
    }
}

void EventRelay::onCut() {
    fail(Failure::Shutdown);
}

bool EventRelay::take(const sdk::SseEvent& event) {
    if (isFailure(event.type)) {
        const std::string code = errorCodeOf(event.data);
        result_.quota.merge(routing::quotaFromError(event.data, clock_.now()));
        if (allow_failover_ && isRetryableFirstEvent(code)) {
            fail(Failure::FirstEventFailed, code);
            return false;
        }
    }
    if (isHidden(event.type)) {
        if (event.type == "codex.rate_limits") {
            result_.quota.merge(routing::quotaFromRateLimitEvent(event.data, clock_.now()));
        }
        held_.push_back({std::string(event.type), std::string(event.data), std::string(event.raw)});
        return true;
    }
    if (!commit()) {
        finish(AttemptEnd::ClientGone);
        return false;
    }
    return deliver(event);
}

bool EventRelay::commit() {
    phase_ = Phase::Committed;
    hooks_.learn(result_.quota);
    sink_.onCommit(head_);
    for (const HeldEvent& held : held_) {
        if (!sink_.onEvent({held.type, held.data, held.raw})) {
            return false;
        }
    }
    held_.clear();
    return true;
}

bool EventRelay::deliver(const sdk::SseEvent& event) {
    if (event.type == "codex.rate_limits") {
        const auto quota = routing::quotaFromRateLimitEvent(event.data, clock_.now());
        hooks_.learn(quota);
        result_.quota.merge(quota);
    } else if (event.type == "response.completed" || event.type == "response.done") {
        ResponseCompletion completion = readCompletion(event.data);
        result_.usage = completion.usage;
        result_.response_id = std::move(completion.response_id);
        if (hooks_.claim && !result_.response_id.empty()) {
            hooks_.claim(result_.response_id);
        }
    }
    saw_terminal_ = saw_terminal_ || isTerminal(event.type);
    if (!sink_.onEvent(event)) {
        finish(AttemptEnd::ClientGone);
        return false;
    }
    return true;
}

void EventRelay::fail(Failure failure, std::string_view detail) {
    result_.fail(failure, allow_failover_, phase_ == Phase::Committed, detail);
    phase_ = Phase::Done;
}

void EventRelay::finish(AttemptEnd end) {
    result_.end = end;
    phase_ = Phase::Done;
}

}  // namespace sluice::core::dispatch
