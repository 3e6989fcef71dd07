#include "collecting_event_sink.hpp"

#include "responses_sse_sink.hpp"

namespace sluice::plugins::route_openai {

void CollectingEventSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    try {
        kept_ = translatedHeaders(head);
    } catch (const std::exception&) {
        kept_.clear();  // allocation failure: the answer goes without the id
    }
}

bool CollectingEventSink::count(std::size_t bytes) noexcept {
    seen_ += bytes;
    overflowed_ = overflowed_ || seen_ > max_bytes_;
    return !overflowed_;
}

bool CollectingEventSink::onEvent(const sdk::SseEvent& event) noexcept {
    if (!count(event.raw.size())) {
        return false;
    }
    try {
        collector_.add(event.type, event.data);
    } catch (const std::exception&) {
        // Only allocation can fail here; the stream then ends as incomplete.
        overflowed_ = true;
        return false;
    }
    return true;
}

bool CollectingEventSink::onBody(std::string_view bytes) noexcept {
    // A plain body where a stream was asked for is no answer the collector understands; it
    // only counts against the limit and the request ends as incomplete.
    return count(bytes.size());
}

}  // namespace sluice::plugins::route_openai
