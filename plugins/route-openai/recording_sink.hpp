#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "collecting_event_sink.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_openai {

/// Relays a stream through `relay` unchanged while also rebuilding the final Responses object
/// (up to `max_bytes` of events), so a streamed answer can be kept by the response store. Not
/// thread-safe; one per request.
class RecordingSink final : public sdk::DispatchSink {
public:
    RecordingSink(sdk::DispatchSink& relay, std::uint64_t max_bytes)
        : relay_(relay), record_(max_bytes) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override { return relay_.onBody(bytes); }
    bool onIdle() noexcept override { return relay_.onIdle(); }

    /// The response the stream finished with (completed or incomplete); nullopt when it
    /// failed, ended early or outgrew `max_bytes`.
    std::optional<nlohmann::json> finished() const;

private:
    sdk::DispatchSink& relay_;
    CollectingEventSink record_;
};

}  // namespace sluice::plugins::route_openai
