#include "core/routing/account_state.hpp"

#include <algorithm>

namespace sluice::core::routing {

namespace {

constexpr double kEwmaWeight = 0.2;

/// Returns whether it raised the value.
bool raiseTo(std::atomic<std::int64_t>& target, std::int64_t value) noexcept {
    std::int64_t current = target.load(std::memory_order_relaxed);
    while (value > current) {
        if (target.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
            return true;
        }
    }
    return false;
}

/// A fresh window read as 100% used that still has a reset ahead: it excludes the account.
bool usedUp(const sdk::QuotaWindow& window, sdk::TimePoint now) noexcept {
    return window.known && window.used_percent >= 100.0 && window.resets_at > now;
}

}  // namespace

bool AccountState::AtomicWindow::store(const WindowObservation& window,
                                       sdk::TimePoint now) noexcept {
    // Observations of a window already used up count too: they refresh evidence that may have
    // gone stale, and they are rare (such an account is not routed to).
    const bool was_used_up = used_percent.load(std::memory_order_relaxed) >= 100.0;
    used_percent.store(window.used_percent, std::memory_order_relaxed);
    window_minutes.store(window.window_minutes, std::memory_order_relaxed);
    resets_at_ms.store(window.resets_at ? toMs(*window.resets_at) : 0, std::memory_order_relaxed);
    observed_at_ms.store(toMs(now), std::memory_order_relaxed);
    source.store(window.source, std::memory_order_relaxed);
    if (!known.exchange(true, std::memory_order_acq_rel)) {
        knowledge_epoch_.fetch_add(1, std::memory_order_release);
    }
    return was_used_up || window.used_percent >= 100.0;
}

void AccountState::recordSuccess(sdk::TimePoint now, std::chrono::microseconds latency) noexcept {
    last_success_ms_.store(toMs(now), std::memory_order_relaxed);
    if (demoted_until_ms_.load(std::memory_order_relaxed) != 0) {
        demoted_until_ms_.store(0, std::memory_order_relaxed);
        advanceEpoch();
    }
    const double sample = static_cast<double>(latency.count()) / 1000.0;
    double current = ewma_latency_ms_.load(std::memory_order_relaxed);
    double next = 0;
    do {
        next = current == 0.0 ? sample : current + kEwmaWeight * (sample - current);
    } while (!ewma_latency_ms_.compare_exchange_weak(current, next, std::memory_order_relaxed));
}

void AccountState::recordFailure(sdk::TimePoint now) noexcept {
    if (raiseTo(demoted_until_ms_, toMs(now + kDemotion))) {
        advanceEpoch();
    }
}

void AccountState::applyQuota(const QuotaObservation& quota, sdk::TimePoint now) noexcept {
    bool moved = false;
    if (quota.primary) {
        moved |= primary_.store(*quota.primary, now);
    }
    if (quota.secondary) {
        moved |= secondary_.store(*quota.secondary, now);
    }
    if (quota.blocked_until && *quota.blocked_until > now &&
        raiseTo(blocked_until_ms_, toMs(*quota.blocked_until))) {
        moved = true;
        if (BlockMirror* mirror = mirror_.load(std::memory_order_acquire)) {
            mirror->blocked(account_id_, *quota.blocked_until);
        }
    }
    if (moved) {
        advanceEpoch();
    }
    if (!quota.plan_type.empty() || quota.credits) {
        storeReported(quota);
    }
}

bool AccountState::adoptBlock(sdk::TimePoint until, sdk::TimePoint now) noexcept {
    if (until <= now || !raiseTo(blocked_until_ms_, toMs(until))) {
        return false;
    }
    advanceEpoch();
    return true;
}

void AccountState::storeReported(const QuotaObservation& quota) noexcept {
    // Only a change allocates: the same headers arrive on every answer.
    const std::shared_ptr<const Reported> current = reported();
    const bool plan_changed = !quota.plan_type.empty() && quota.plan_type != current->plan_type;
    const bool credits_changed =
        quota.credits &&
        (!current->credits || current->credits->has_credits != quota.credits->has_credits ||
         current->credits->unlimited != quota.credits->unlimited ||
         current->credits->balance != quota.credits->balance);
    if (!plan_changed && !credits_changed) {
        return;
    }
    try {
        Reported next = *current;
        if (plan_changed) {
            next.plan_type = quota.plan_type;
        }
        if (credits_changed) {
            next.credits = quota.credits;
        }
        reported_.store(std::make_shared<const Reported>(std::move(next)),
                        std::memory_order_release);
    } catch (const std::bad_alloc&) {
        // Informational only: keep what was reported before.
    }
}

std::optional<sdk::TimePoint> AccountState::latestUsedUpReset(sdk::TimePoint now) const noexcept {
    std::optional<sdk::TimePoint> until;
    for (const sdk::QuotaWindow& window : {primary(now), secondary(now)}) {
        if (usedUp(window, now) && (!until || window.resets_at > *until)) {
            until = window.resets_at;
        }
    }
    return until;
}

sdk::TimePoint AccountState::exhaustionLapsesAt(sdk::TimePoint now) const noexcept {
    sdk::TimePoint at = sdk::TimePoint::max();
    for (const AtomicWindow* stored : {&primary_, &secondary_}) {
        const sdk::QuotaWindow window = stored->read(now, quota_freshness_);
        if (usedUp(window, now)) {
            const sdk::TimePoint stale_at =
                fromMs(stored->observed_at_ms.load(std::memory_order_relaxed)) + quota_freshness_ +
                std::chrono::milliseconds(1);  // read() still trusts it during its last millisecond
            at = std::min({at, window.resets_at, stale_at});
        }
    }
    return at;
}

AccountState::Circuit& AccountState::circuitFor(const std::string& model,
                                                sdk::RouteClass route_class) {
    for (auto& circuit : circuits_) {
        if (circuit.route_class == route_class && circuit.model == model) {
            return circuit;
        }
    }
    circuits_.push_back(Circuit{model, route_class, {}});
    return circuits_.back();
}

bool AccountState::circuitAdmitsUnderLock(const std::string& model, sdk::RouteClass route_class,
                                          Steady::time_point now) {
    std::lock_guard lock(circuits_mutex_);
    for (const auto& circuit : circuits_) {
        if (circuit.route_class == route_class && circuit.model == model) {
            return circuit.breaker.admits(now);
        }
    }
    return true;
}

std::optional<AccountState::Steady::time_point> AccountState::circuitReopensAt(
    const std::string& model, sdk::RouteClass route_class) const {
    std::lock_guard lock(circuits_mutex_);
    for (const auto& circuit : circuits_) {
        if (circuit.route_class == route_class && circuit.model == model &&
            circuit.breaker.state() == CircuitState::Open) {
            return circuit.breaker.reopensAt();
        }
    }
    return std::nullopt;
}

bool AccountState::circuitAcquire(const std::string& model, sdk::RouteClass route_class,
                                  Steady::time_point now) {
    std::lock_guard lock(circuits_mutex_);
    return circuitFor(model, route_class).breaker.tryAcquire(now);
}

std::optional<CircuitState> AccountState::circuitSettle(const std::string& model,
                                                        sdk::RouteClass route_class,
                                                        std::optional<bool> success,
                                                        Steady::time_point now) {
    std::lock_guard lock(circuits_mutex_);
    CircuitBreaker& breaker = circuitFor(model, route_class).breaker;
    if (!success) {
        breaker.onNeutral();
        return std::nullopt;
    }
    const bool changed = *success ? breaker.onSuccess() : breaker.onFailure(now);
    if (!changed) {
        return std::nullopt;
    }
    const auto not_closed = std::count_if(
        circuits_.begin(), circuits_.end(),
        [](const Circuit& circuit) { return circuit.breaker.state() != CircuitState::Closed; });
    circuits_not_closed_.store(static_cast<std::uint32_t>(not_closed), std::memory_order_release);
    advanceEpoch();
    return breaker.state();
}

std::vector<AccountState::CircuitView> AccountState::circuits() const {
    std::lock_guard lock(circuits_mutex_);
    std::vector<CircuitView> views;
    for (const auto& circuit : circuits_) {
        views.push_back({circuit.model, circuit.route_class, circuit.breaker.state()});
    }
    return views;
}

}  // namespace sluice::core::routing
