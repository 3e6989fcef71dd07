#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/observability/alerts/alert_board.hpp"
#include "core/observability/alerts/webhook_courier.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::observability::alerts {

/// Evaluates the alert rules in the background: every `interval` it reads the gateway's state,
/// applies the signals to its board and hands each transition to the webhook courier, which
/// delivers on a thread of its own (a slow receiver never delays an evaluation). Nothing here
/// runs on a request thread.
class AlertMonitor final {
public:
    /// Reads the gateway's state at `now` (the evaluator thread; may ping storage).
    using Observe = std::function<Reading(sdk::TimePoint now)>;

    /// `courier` may be null: no webhook, the alerts are only listed.
    AlertMonitor(Observe observe, Thresholds thresholds, std::chrono::milliseconds interval,
                 std::unique_ptr<WebhookCourier> courier, const sdk::Clock& clock,
                 sdk::Logger& logger, sdk::Metrics& metrics);
    ~AlertMonitor();
    AlertMonitor(const AlertMonitor&) = delete;
    AlertMonitor& operator=(const AlertMonitor&) = delete;

    void start();
    /// Stops both threads; deliveries still waiting are dropped.
    void stop();
    /// One evaluation now (the evaluator thread; tests call it directly).
    void evaluate();
    /// Firing and recently resolved alerts. Any thread.
    const AlertBoard& board() const noexcept { return board_; }

private:
    void deliver();

    Observe observe_;
    Thresholds thresholds_;
    std::chrono::milliseconds interval_;
    std::unique_ptr<WebhookCourier> courier_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
    sdk::Gauge& firing_;  ///< sluice_alerts_firing
    AlertBoard board_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool posted_ = false;  ///< the courier has a new delivery
    std::thread evaluator_;
    std::thread courier_thread_;
};

}  // namespace sluice::core::observability::alerts
