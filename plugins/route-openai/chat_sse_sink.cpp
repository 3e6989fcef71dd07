#include "chat_sse_sink.hpp"

#include "responses_sse_sink.hpp"

namespace sluice::plugins::route_openai {

void ChatSseSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    try {
        writer_.start(head.status, eventStreamHeaders(head));
    } catch (const std::exception&) {
        writer_.abort();
    }
}

bool ChatSseSink::send(const std::string& frames) noexcept {
    return frames.empty() || (writer_.write(frames) && writer_.flush());
}

bool ChatSseSink::onEvent(const sdk::SseEvent& event) noexcept {
    try {
        return send(translator_.onEvent(event.type, event.data));
    } catch (const std::exception&) {
        // Allocation failure mid-translation: stop reading; the handler ends the stream.
        return false;
    }
}

bool ChatSseSink::onBody(std::string_view) noexcept {
    // A plain body where a stream was asked for has no chunks to offer; the stream then ends
    // without a terminal event and the handler reports the interruption.
    return true;
}

bool ChatSseSink::onIdle() noexcept {
    return send(": keepalive\n\n");
}

void ChatSseSink::interrupt(const sdk::ErrorInfo& error) noexcept {
    try {
        send(translator_.onInterrupted(error));
    } catch (const std::exception&) {
        writer_.abort();
    }
}

}  // namespace sluice::plugins::route_openai
