#include "message_sink.hpp"

namespace sluice::plugins::route_anthropic {

void MessageSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    try {
        if (const auto id = sdk::findHeader(head.headers, "x-request-id")) {
            kept_.push_back({"request-id", std::string(*id)});
        }
        if (!client_stream_) {
            return;
        }
        // Reverse proxies in front of Sluice must not buffer the stream.
        sdk::Headers headers{{"Content-Type", "text/event-stream"},
                             {"Cache-Control", "no-cache"},
                             {"X-Accel-Buffering", "no"}};
        headers.insert(headers.end(), kept_.begin(), kept_.end());
        writer_.start(200, headers);
    } catch (const std::exception&) {
        writer_.abort();
    }
}

bool MessageSink::send(const std::string& frames) noexcept {
    if (!client_stream_ || frames.empty()) {
        return true;
    }
    return writer_.write(frames) && writer_.flush();
}

bool MessageSink::onEvent(const sdk::SseEvent& event) noexcept {
    seen_ += event.data.size();
    if (!client_stream_ && seen_ > max_bytes_) {
        overflowed_ = true;
        return false;
    }
    try {
        return send(stream_.onEvent(event.type, event.data));
    } catch (const std::exception&) {
        return false;  // allocation failure mid-translation: the handler ends the answer
    }
}

bool MessageSink::onBody(std::string_view) noexcept {
    // A plain body where a stream was asked for carries no events; the turn then ends
    // without a terminal event and the handler reports the interruption.
    return true;
}

bool MessageSink::onIdle() noexcept {
    return send(MessageStream::ping());
}

void MessageSink::interrupt(const sdk::ErrorInfo& error) noexcept {
    try {
        if (!send(stream_.onInterrupted(error))) {
            writer_.abort();
        }
    } catch (const std::exception&) {
        writer_.abort();
    }
}

}  // namespace sluice::plugins::route_anthropic
