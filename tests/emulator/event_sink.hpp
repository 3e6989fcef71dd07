#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "tests/emulator/stop_signal.hpp"

namespace sluice::emulator {

/// Events keep their keys in insertion order ("type" first), as the real backend writes them.
using EventJson = nlohmann::ordered_json;

/// Receives the events of one response in order, whatever the transport (SSE, websocket).
class EventSink {
public:
    virtual ~EventSink() = default;
    /// false stops the response: the peer is gone or the script cut the stream.
    virtual bool emit(const EventJson& event) = 0;
};

/// Applies the scripted pacing to another sink: a pause between events and an optional cut
/// after a number of events.
class PacedSink final : public EventSink {
public:
    PacedSink(EventSink& inner, std::chrono::milliseconds event_delay, std::optional<int> cut_after,
              StopSignal& stop)
        : inner_(inner), event_delay_(event_delay), cut_after_(cut_after), stop_(stop) {}

    bool emit(const EventJson& event) override {
        if (cut_after_ && sent_ >= *cut_after_) {
            cut_ = true;
            return false;
        }
        if (sent_ > 0 && event_delay_.count() > 0 && !stop_.waitFor(event_delay_))
            return false;
        if (!inner_.emit(event))
            return false;
        ++sent_;
        return true;
    }

    /// True once the script's cut point was reached (as opposed to the peer leaving).
    bool cut() const noexcept { return cut_; }
    int sent() const noexcept { return sent_; }

private:
    EventSink& inner_;
    std::chrono::milliseconds event_delay_;
    std::optional<int> cut_after_;
    StopSignal& stop_;
    int sent_ = 0;
    bool cut_ = false;
};

}  // namespace sluice::emulator
