#include "sluice/plugins/common/relay_sinks.hpp"

#include <nlohmann/json.hpp>

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::common {

namespace {

constexpr std::string_view kKeepalive = ": keepalive\n\n";

sdk::Headers withoutContentType(const sdk::Headers& headers) {
    sdk::Headers out;
    for (const auto& header : headers) {
        if (!sdk::equalsIgnoreCase(header.name, "content-type")) {
            out.push_back(header);
        }
    }
    return out;
}

}  // namespace

void SseRelaySink::onCommit(const sdk::UpstreamHead& head) noexcept {
    sdk::Headers headers = withoutContentType(head.headers);
    headers.push_back({"Content-Type", "text/event-stream"});
    headers.push_back({"Cache-Control", "no-cache"});
    // Reverse proxies in front of Sluice must not buffer the stream.
    headers.push_back({"X-Accel-Buffering", "no"});
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
