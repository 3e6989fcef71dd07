#include "responses_sse_sink.hpp"

namespace sluice::plugins::route_openai {

namespace {

constexpr std::string_view kKeepalive = ": keepalive\n\n";

bool isTerminal(std::string_view type) {
    return type == "response.completed" || type == "response.done" ||
           type == "response.incomplete" || type == "response.failed" || type == "error";
}

}  // namespace

sdk::Headers translatedHeaders(const sdk::UpstreamHead& head) {
    sdk::Headers kept;
    if (const auto id = sdk::findHeader(head.headers, "x-request-id")) {
        kept.push_back({"x-request-id", std::string(*id)});
    }
    return kept;
}

sdk::Headers eventStreamHeaders(const sdk::UpstreamHead& head) {
    // Reverse proxies in front of Sluice must not buffer the stream.
    sdk::Headers headers{{"Content-Type", "text/event-stream"},
                         {"Cache-Control", "no-cache"},
                         {"X-Accel-Buffering", "no"}};
    for (sdk::Header& header : translatedHeaders(head)) {
        headers.push_back(std::move(header));
    }
    return headers;
}

void ResponsesSseSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    try {
        writer_.start(head.status, eventStreamHeaders(head));
    } catch (const std::exception&) {
        writer_.abort();
    }
}

bool ResponsesSseSink::onEvent(const sdk::SseEvent& event) noexcept {
    if (event.type.substr(0, 6) == "codex.") {
        return true;
    }
    terminated_ = terminated_ || isTerminal(event.type);
    return writer_.write(event.raw) && writer_.flush();
}

bool ResponsesSseSink::onBody(std::string_view bytes) noexcept {
    return writer_.write(bytes) && writer_.flush();
}

bool ResponsesSseSink::onIdle() noexcept {
    return writer_.write(kKeepalive) && writer_.flush();
}

}  // namespace sluice::plugins::route_openai
