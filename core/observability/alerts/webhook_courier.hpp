#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/observability/alerts/alert_board.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"

namespace sluice::core::observability::alerts {

/// Where alert transitions are delivered (alerts.webhook_* in the pipeline).
struct WebhookSettings {
    std::string url;
    std::string secret;  ///< signs every delivery; never logged
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds retry{5'000};  ///< first wait after a failed attempt; doubles
    std::uint32_t attempts = 6;              ///< attempts per delivery before it is given up
};

/// The header a delivery is signed with.
inline constexpr std::string_view kSignatureHeader = "Sluice-Signature";
/// `t=<unix seconds>,v1=<hex HMAC-SHA256 under secret of "<t>.<body>">` (Stripe's scheme), so
/// a receiver can refuse old or forged deliveries.
std::string webhookSignature(std::string_view secret, std::string_view body, sdk::TimePoint at);
/// The JSON a transition is delivered as: {"event", "type": "alert.firing" | "alert.resolved",
/// "alert": {...}}; `event` is the same on every retry of one delivery.
std::string webhookBody(const Alert& transition);

/// Delivers alert transitions to the webhook in the order they happened, each until the
/// receiver answers 2xx or its attempts run out (waiting `retry`, doubled each time, between
/// attempts; later deliveries wait behind it). post() is cheap and never blocks on the
/// network; deliverDue() sends, on one thread only (the monitor's courier thread).
class WebhookCourier final {
public:
    /// Deliveries waiting at most; past it a new one is dropped (and logged).
    static constexpr std::size_t kMostQueued = 256;

    WebhookCourier(sdk::HttpClient& http, WebhookSettings settings, sdk::Logger& logger,
                   sdk::Metrics& metrics);

    /// Queues the delivery of `transition`, due at once. Any thread.
    void post(const Alert& transition, sdk::TimePoint now);
    /// Makes the attempts due at `now` and returns when the next one is due (nullopt: nothing
    /// is queued). Blocks on the network: the courier thread only.
    std::optional<sdk::TimePoint> deliverDue(sdk::TimePoint now);

private:
    /// A delivery's life: Pending (due at `due`) until a 2xx makes it Delivered, or its last
    /// failed attempt makes it Abandoned.
    enum class Phase : std::uint8_t { Pending, Delivered, Abandoned };

    struct Delivery {
        std::string event;
        std::string alert_id;
        std::string body;
        std::uint32_t attempts = 0;
        sdk::TimePoint due{};
        Phase phase = Phase::Pending;
    };

    void attempt(Delivery& delivery, sdk::TimePoint now);
    void delivered(Delivery& delivery);
    void retryLater(Delivery& delivery, sdk::TimePoint now, const std::string& why);
    void abandon(Delivery& delivery, const std::string& why);

    sdk::HttpClient& http_;
    WebhookSettings settings_;
    sdk::Logger& logger_;
    sdk::Counter& delivered_;  ///< sluice_alert_deliveries_total{outcome="delivered"}
    sdk::Counter& failed_;     ///< {outcome="failed"}: one failed attempt
    sdk::Counter& abandoned_;  ///< {outcome="abandoned"}
    std::mutex mutex_;
    std::deque<Delivery> queue_;
};

}  // namespace sluice::core::observability::alerts
