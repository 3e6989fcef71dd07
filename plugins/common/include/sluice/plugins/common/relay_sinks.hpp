#pragma once

#include <string>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::common {

/// Relays an upstream event stream verbatim: each event is written and flushed as it arrives;
/// idle periods send SSE keepalive comments.
class SseRelaySink final : public sdk::DispatchSink {
public:
    explicit SseRelaySink(sdk::ResponseWriter& writer) : writer_(writer) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override;

    /// The id of the upstream response, once a response.created event showed it.
    const std::string& responseId() const noexcept { return response_id_; }

private:
    sdk::ResponseWriter& writer_;
    std::string response_id_;
};

/// Relays a plain upstream body (JSON, images, SDP) with the upstream's status and type.
class BodyRelaySink final : public sdk::DispatchSink {
public:
    explicit BodyRelaySink(sdk::ResponseWriter& writer) : writer_(writer) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override { return true; }

private:
    sdk::ResponseWriter& writer_;
};

/// Keeps the whole upstream answer in memory (small bodies only, e.g. catalogs).
class CollectingSink final : public sdk::DispatchSink {
public:
    void onCommit(const sdk::UpstreamHead& head) noexcept override { head_ = head; }
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override { return true; }

    const sdk::UpstreamHead& head() const noexcept { return head_; }
    const std::string& body() const noexcept { return body_; }

private:
    sdk::UpstreamHead head_;
    std::string body_;
};

}  // namespace sluice::plugins::common
