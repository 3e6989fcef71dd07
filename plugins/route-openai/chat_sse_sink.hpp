#pragma once

#include "chat_stream.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_openai {

/// Streams a Chat Completions answer to the client while the upstream Responses stream
/// arrives, translating each event (ChatStreamTranslator) and flushing every frame.
class ChatSseSink final : public sdk::DispatchSink {
public:
    ChatSseSink(sdk::ResponseWriter& writer, ChatIdentity identity, bool include_usage,
                ChatStreamTranslator::ChunkShape shape = nullptr)
        : writer_(writer), translator_(std::move(identity), include_usage, shape) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override;
    bool onIdle() noexcept override;

    /// The client saw the end of the answer ([DONE] or an error frame).
    bool finished() const noexcept { return translator_.finished(); }
    /// Ends a committed stream the upstream broke off: one error frame, never [DONE].
    void interrupt(const sdk::ErrorInfo& error) noexcept;

private:
    bool send(const std::string& frames) noexcept;

    sdk::ResponseWriter& writer_;
    ChatStreamTranslator translator_;
};

}  // namespace sluice::plugins::route_openai
