#pragma once

#include <cstdint>

#include "response_collector.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_openai {

/// Receives an upstream Responses stream for a client that waits for one answer: nothing is
/// written to the client, events feed a ResponseCollector. Stops reading (returns false) once
/// the stream exceeds `max_bytes`, so one request cannot hold unbounded memory.
class CollectingEventSink final : public sdk::DispatchSink {
public:
    explicit CollectingEventSink(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override { return true; }

    const ResponseCollector& collector() const noexcept { return collector_; }
    bool overflowed() const noexcept { return overflowed_; }
    /// The upstream answer's headers the translated answer keeps (translatedHeaders).
    const sdk::Headers& kept() const noexcept { return kept_; }

private:
    bool count(std::size_t bytes) noexcept;

    std::uint64_t max_bytes_;
    std::uint64_t seen_ = 0;
    bool overflowed_ = false;
    sdk::Headers kept_;
    ResponseCollector collector_;
};

}  // namespace sluice::plugins::route_openai
