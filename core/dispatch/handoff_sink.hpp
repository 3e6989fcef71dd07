#pragma once

#include <optional>
#include <string>

#include "core/dispatch/conversation_history.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// What the client is told, once, when its conversation moved to another account.
struct HandoffNotice {
    std::string previous_response_id;  ///< the response the conversation continues
    std::string reason;  ///< why its account could not go on (e.g. usage_limit_reached)
    std::size_t replayed_items = 0;
    std::size_t dropped_items = 0;

    /// The x-sluice-handoff header's value.
    std::string headerValue() const;
    /// The `sluice.handoff` event, whole (a Codex client ignores types it does not know, §3.1).
    std::string event() const;
};

inline constexpr const char* kHandoffHeader = "x-sluice-handoff";

/// Passes a committed answer on to the family's sink, showing every event (or a plain answer's
/// bytes) to a TurnRecorder, and, for a conversation handed off, adds the notice: the header on
/// the commit and, on an event stream, the notice event before the first upstream event.
/// Request thread only.
class HandoffSink final : public sdk::DispatchSink {
public:
    HandoffSink(sdk::DispatchSink& inner, TurnRecorder& recorder, bool event_stream,
                const HandoffNotice* notice)
        : inner_(inner), recorder_(recorder), event_stream_(event_stream), notice_(notice) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override { return inner_.onIdle(); }

private:
    sdk::DispatchSink& inner_;
    TurnRecorder& recorder_;
    bool event_stream_;
    const HandoffNotice* notice_;  ///< null when the conversation stays where it was
};

}  // namespace sluice::core::dispatch
