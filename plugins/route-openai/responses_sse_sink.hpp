#pragma once

#include <string>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_openai {

/// Relays an upstream Responses event stream to a /v1 client as it arrives, without the
/// backend's own `codex.*` events (account rate limits are not the client's business) and
/// without upstream headers. Idle periods send SSE keepalive comments.
class ResponsesSseSink final : public sdk::DispatchSink {
public:
    explicit ResponsesSseSink(sdk::ResponseWriter& writer) : writer_(writer) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override;

    /// A terminal event (completed, incomplete, failed, error) reached the client.
    bool terminated() const noexcept { return terminated_; }

private:
    sdk::ResponseWriter& writer_;
    bool terminated_ = false;
};

/// The response headers of every /v1 event stream.
sdk::Headers eventStreamHeaders(const sdk::UpstreamHead& head);

/// The upstream answer's headers a translated answer keeps: its x-request-id, which clients
/// quote when they report a problem.
sdk::Headers translatedHeaders(const sdk::UpstreamHead& head);

}  // namespace sluice::plugins::route_openai
