#include "recording_sink.hpp"

namespace sluice::plugins::route_openai {

void RecordingSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    record_.onCommit(head);
    relay_.onCommit(head);
}

bool RecordingSink::onEvent(const sdk::SseEvent& event) noexcept {
    if (!record_.overflowed()) {
        record_.onEvent(event);  // a stream too large to keep is still relayed whole
    }
    return relay_.onEvent(event);
}

std::optional<nlohmann::json> RecordingSink::finished() const {
    const ResponseCollector& collector = record_.collector();
    if (record_.overflowed() || (collector.state() != ResponseCollector::State::Completed &&
                                 collector.state() != ResponseCollector::State::Incomplete)) {
        return std::nullopt;
    }
    return collector.response();
}

}  // namespace sluice::plugins::route_openai
