#pragma once

#include <cstdint>

#include "message_stream.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_anthropic {

/// Receives the upstream Responses stream of one Messages turn and feeds a MessageStream. A
/// streaming client gets each translated frame as it is made; otherwise nothing is written
/// and reading stops once the upstream answer exceeds `max_bytes`. Request thread.
class MessageSink final : public sdk::DispatchSink {
public:
    MessageSink(sdk::ResponseWriter& writer, MessageStream& stream, bool client_stream,
                std::uint64_t max_bytes)
        : writer_(writer), stream_(stream), client_stream_(client_stream), max_bytes_(max_bytes) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override;

    /// Ends a committed stream the upstream broke off: one error event, never message_stop.
    void interrupt(const sdk::ErrorInfo& error) noexcept;
    bool overflowed() const noexcept { return overflowed_; }
    /// The upstream's x-request-id, for the client's answer.
    const sdk::Headers& kept() const noexcept { return kept_; }

private:
    bool send(const std::string& frames) noexcept;

    sdk::ResponseWriter& writer_;
    MessageStream& stream_;
    bool client_stream_;
    std::uint64_t max_bytes_;
    std::uint64_t seen_ = 0;
    bool overflowed_ = false;
    sdk::Headers kept_;
};

}  // namespace sluice::plugins::route_anthropic
