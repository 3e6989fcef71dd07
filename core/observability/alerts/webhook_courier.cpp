#include "core/observability/alerts/webhook_courier.hpp"

#include <nlohmann/json.hpp>

#include "core/accounting/utc_time.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::observability::alerts {

namespace {

using json = nlohmann::json;

sdk::Counter& deliveries(sdk::Metrics& metrics, const char* outcome) {
    return metrics.counter("sluice_alert_deliveries_total",
                           "Alert webhook attempts by outcome (delivered, failed, abandoned)",
                           {{"outcome", outcome}});
}

std::string eventOf(const Alert& transition) {
    return transition.signal.id + "@" + std::to_string(accounting::unixSeconds(transition.since)) +
           ":" + phaseName(transition.phase);
}

}  // namespace

std::string webhookSignature(std::string_view secret, std::string_view body, sdk::TimePoint at) {
    const std::string t = std::to_string(accounting::unixSeconds(at));
    std::string signed_text = t + ".";
    signed_text.append(body);
    return "t=" + t + ",v1=" + security::toHex(security::hmacSha256(secret, signed_text));
}

std::string webhookBody(const Alert& transition) {
    const std::string phase = phaseName(transition.phase);
    const sdk::TimePoint at = transition.resolved_at.value_or(transition.since);
    return json{{"event", eventOf(transition)},
                {"type", "alert." + phase},
                {"occurred_at", accounting::rfc3339(at)},
                {"alert", toJson(transition)}}
        .dump();
}

WebhookCourier::WebhookCourier(sdk::HttpClient& http, WebhookSettings settings, sdk::Logger& logger,
                               sdk::Metrics& metrics)
    : http_(http),
      settings_(std::move(settings)),
      logger_(logger),
      delivered_(deliveries(metrics, "delivered")),
      failed_(deliveries(metrics, "failed")),
      abandoned_(deliveries(metrics, "abandoned")) {}

void WebhookCourier::post(const Alert& transition, sdk::TimePoint now) {
    std::string body = webhookBody(transition);
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMostQueued) {
        logger_.error("alert_delivery_dropped", {{"alert", transition.signal.id},
                                                 {"phase", phaseName(transition.phase)},
                                                 {"queued", std::to_string(queue_.size())}});
        return;
    }
    queue_.push_back(
        {eventOf(transition), transition.signal.id, std::move(body), 0, now, Phase::Pending});
}

std::optional<sdk::TimePoint> WebhookCourier::deliverDue(sdk::TimePoint now) {
    while (true) {
        Delivery head;
        {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) {
                return std::nullopt;
            }
            if (queue_.front().due > now) {
                return queue_.front().due;
            }
            head = queue_.front();  // only this thread pops, so the front stays put
        }
        attempt(head, now);
        std::lock_guard lock(mutex_);
        if (head.phase == Phase::Pending) {
            queue_.front() = std::move(head);
            return queue_.front().due;
        }
        queue_.pop_front();
    }
}

void WebhookCourier::attempt(Delivery& delivery, sdk::TimePoint now) {
    ++delivery.attempts;
    sdk::HttpCall call;
    call.method = "POST";
    call.url = settings_.url;
    call.body = delivery.body;
    call.timeout = settings_.timeout;
    call.headers = {
        {"Content-Type", "application/json"},
        {"User-Agent", "sluice-alerts"},
        {std::string(kSignatureHeader), webhookSignature(settings_.secret, delivery.body, now)}};
    const sdk::Result<sdk::HttpReply> reply = http_.send(call);
    if (reply.ok() && reply->status >= 200 && reply->status < 300) {
        delivered(delivery);
        return;
    }
    const std::string why =
        reply.ok() ? "status " + std::to_string(reply->status) : reply.status().message();
    if (delivery.attempts >= settings_.attempts) {
        abandon(delivery, why);
    } else {
        retryLater(delivery, now, why);
    }
}

void WebhookCourier::delivered(Delivery& delivery) {
    delivery.phase = Phase::Delivered;
    delivered_.add();
    logger_.info("alert_delivered", {{"alert", delivery.alert_id},
                                     {"event", delivery.event},
                                     {"attempts", std::to_string(delivery.attempts)}});
}

void WebhookCourier::retryLater(Delivery& delivery, sdk::TimePoint now, const std::string& why) {
    failed_.add();
    const auto wait = settings_.retry * (1LL << std::min<std::uint32_t>(delivery.attempts - 1, 16));
    delivery.due = now + wait;
    logger_.warn("alert_delivery_failed", {{"alert", delivery.alert_id},
                                           {"attempt", std::to_string(delivery.attempts)},
                                           {"problem", why},
                                           {"retry_in_ms", std::to_string(wait.count())}});
}

void WebhookCourier::abandon(Delivery& delivery, const std::string& why) {
    delivery.phase = Phase::Abandoned;
    failed_.add();
    abandoned_.add();
    logger_.error("alert_delivery_abandoned", {{"alert", delivery.alert_id},
                                               {"event", delivery.event},
                                               {"attempts", std::to_string(delivery.attempts)},
                                               {"problem", why}});
}

}  // namespace sluice::core::observability::alerts
