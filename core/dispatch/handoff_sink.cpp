#include "core/dispatch/handoff_sink.hpp"

#include <nlohmann/json.hpp>

namespace sluice::core::dispatch {

namespace {

constexpr std::string_view kNoticeType = "sluice.handoff";

}  // namespace

std::string HandoffNotice::headerValue() const {
    return "previous_response_id=" + previous_response_id + "; reason=" + reason +
           "; replayed_items=" + std::to_string(replayed_items) +
           "; dropped_items=" + std::to_string(dropped_items);
}

std::string HandoffNotice::event() const {
    const nlohmann::json data{
        {"type", kNoticeType},
        {"previous_response_id", previous_response_id},
        {"reason", reason},
        {"replayed_items", replayed_items},
        {"dropped_items", dropped_items},
        {"message",
         "the account this conversation was pinned to cannot serve it (" + reason +
             "); it goes on on another account, its history replayed without what only the "
             "first account could read"}};
    return "event: " + std::string(kNoticeType) + "\ndata: " + data.dump() + "\n\n";
}

void HandoffSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    if (notice_ == nullptr) {
        inner_.onCommit(head);
        return;
    }
    sdk::UpstreamHead noticed = head;
    noticed.headers.push_back({kHandoffHeader, notice_->headerValue()});
    inner_.onCommit(noticed);
    if (event_stream_ && head.status / 100 == 2) {
        const std::string raw = notice_->event();
        const std::string_view block(raw);
        const std::size_t data_at = block.find("data: ") + 6;
        inner_.onEvent({kNoticeType, block.substr(data_at, block.size() - data_at - 2), block});
    }
}

bool HandoffSink::onEvent(const sdk::SseEvent& event) noexcept {
    recorder_.observe(event.type, event.data);
    return inner_.onEvent(event);
}

bool HandoffSink::onBody(std::string_view bytes) noexcept {
    recorder_.observeBody(bytes);
    return inner_.onBody(bytes);
}

}  // namespace sluice::core::dispatch
