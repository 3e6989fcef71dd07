#include "core/observability/alerts/alert_monitor.hpp"

#include <algorithm>

namespace sluice::core::observability::alerts {

namespace {

// The longest the courier sleeps without looking at its queue (a clock change is noticed).
constexpr std::chrono::seconds kLongestNap{1};

}  // namespace

AlertMonitor::AlertMonitor(Observe observe, Thresholds thresholds,
                           std::chrono::milliseconds interval,
                           std::unique_ptr<WebhookCourier> courier, const sdk::Clock& clock,
                           sdk::Logger& logger, sdk::Metrics& metrics)
    : observe_(std::move(observe)),
      thresholds_(thresholds),
      interval_(interval),
      courier_(std::move(courier)),
      clock_(clock),
      logger_(logger),
      firing_(metrics.gauge("sluice_alerts_firing", "Alerts firing now", {})) {}

AlertMonitor::~AlertMonitor() {
    stop();
}

void AlertMonitor::start() {
    evaluator_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            evaluate();
            lock.lock();
            wake_.wait_for(lock, interval_, [this] { return stopping_; });
        }
    });
    if (courier_) {
        courier_thread_ = std::thread([this] { deliver(); });
    }
}

void AlertMonitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread* thread : {&evaluator_, &courier_thread_}) {
        if (thread->joinable()) {
            thread->join();
        }
    }
}

void AlertMonitor::evaluate() {
    const sdk::TimePoint now = clock_.now();
    const std::vector<Alert> changed = board_.apply(evaluateRules(observe_(now), thresholds_), now);
    firing_.set(static_cast<double>(board_.firing()));
    for (const Alert& alert : changed) {
        if (alert.phase == Phase::Firing) {
            logger_.warn("alert_firing", {{"alert", alert.signal.id},
                                          {"severity", severityName(severityOf(alert.signal.rule))},
                                          {"summary", alert.signal.summary}});
        } else {
            logger_.info("alert_resolved", {{"alert", alert.signal.id}});
        }
        if (courier_) {
            courier_->post(alert, now);
        }
    }
    if (courier_ && !changed.empty()) {
        {
            std::lock_guard lock(mutex_);
            posted_ = true;
        }
        wake_.notify_all();
    }
}

void AlertMonitor::deliver() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        posted_ = false;
        lock.unlock();
        const std::optional<sdk::TimePoint> next = courier_->deliverDue(clock_.now());
        lock.lock();
        // Until the next attempt is due (looked at again every kLongestNap), else until posted.
        const std::chrono::nanoseconds nap =
            next ? std::clamp<std::chrono::nanoseconds>(*next - clock_.now(),
                                                        std::chrono::nanoseconds(0), kLongestNap)
                 : std::chrono::hours(1);
        wake_.wait_for(lock, nap, [this] { return stopping_ || posted_; });
    }
}

}  // namespace sluice::core::observability::alerts
