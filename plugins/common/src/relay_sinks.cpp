#include "sluice/plugins/common/relay_sinks.hpp"

#include <nlohmann/json.hpp>

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::common {

namespace {

constexpr std::string_view kKeepalive = ": keepalive\n\n";

// Reverse proxies in front of Sluice must not buffer the stream.
const sdk::Headers kEventStreamHeaders{{"Content-Type", "text/event-stream"},
                                       {"Cache-Control", "no-cache"},
                                       {"X-Accel-Buffering", "no"}};

}  // namespace

void SseRelaySink::onCommit(const sdk::UpstreamHead& head) noexcept {
    // The stream's own headers replace the upstream's copies of them.
    sdk::Headers headers;
    for (const auto& header : head.headers) {
        if (!sdk::findHeader(kEventStreamHeaders, header.name)) {
            headers.push_back(header);
        }
    }
    headers.insert(headers.end(), kEventStreamHeaders.begin(), kEventStreamHeaders.end());
    writer_.start(head.status, headers);
}

bool SseRelaySink::onEvent(const sdk::SseEvent& event) noexcept {
    if (response_id_.empty() && event.type == "response.created") {
        const auto created = common::parseJson(event.data);
        if (created.is_object() && created.contains("response") &&
            created["response"].is_object()) {
            response_id_ = created["response"].value("id", "");
        }
    }
    return writer_.write(event.raw) && writer_.flush();
}

bool SseRelaySink::onBody(std::string_view bytes) noexcept {
    return writer_.write(bytes) && writer_.flush();
}

bool SseRelaySink::onIdle() noexcept {
    return writer_.write(kKeepalive) && writer_.flush();
}

void BodyRelaySink::onCommit(const sdk::UpstreamHead& head) noexcept {
    writer_.start(head.status, head.headers);
}

bool BodyRelaySink::onEvent(const sdk::SseEvent& event) noexcept {
    return writer_.write(event.raw);
}

bool BodyRelaySink::onBody(std::string_view bytes) noexcept {
    return writer_.write(bytes);
}

bool CollectingSink::onEvent(const sdk::SseEvent& event) noexcept {
    body_.append(event.raw);
    return true;
}

bool CollectingSink::onBody(std::string_view bytes) noexcept {
    body_.append(bytes);
    return true;
}

}  // namespace sluice::plugins::common
