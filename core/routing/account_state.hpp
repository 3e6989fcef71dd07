#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "core/routing/circuit_breaker.hpp"
#include "core/routing/quota_evidence.hpp"
#include "sluice/sdk/route_class.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::core::routing {

/// What the gateway has learned about one upstream account while running: load, health,
/// circuits and quota. Lives across directory refreshes (keyed by account id). Scalar fields
/// are atomics so building a routing snapshot never waits; circuits take a short lock.
class AccountState final {
public:
    using Steady = std::chrono::steady_clock;

    /// Quota windows observed longer than `quota_freshness` ago read as unknown.
    explicit AccountState(std::chrono::milliseconds quota_freshness = std::chrono::minutes(15))
        : quota_freshness_(quota_freshness) {}

    /// Failed accounts are tried last for this long.
    static constexpr std::chrono::seconds kDemotion{60};

    std::atomic<std::uint32_t> in_flight{0};

    void recordSuccess(sdk::TimePoint now, std::chrono::microseconds latency) noexcept;
    void recordFailure(sdk::TimePoint now) noexcept;
    void applyQuota(const QuotaObservation& quota, sdk::TimePoint now) noexcept;

    sdk::TimePoint lastSuccess() const noexcept;
    sdk::TimePoint demotedUntil() const noexcept;
    sdk::TimePoint blockedUntil() const noexcept;
    double ewmaLatencyMs() const noexcept { return ewma_latency_ms_.load(std::memory_order_relaxed); }
    sdk::QuotaWindow primary(sdk::TimePoint now) const noexcept { return primary_.read(now, quota_freshness_); }
    sdk::QuotaWindow secondary(sdk::TimePoint now) const noexcept {
        return secondary_.read(now, quota_freshness_);
    }
    /// The reset time of a window known to be used up, if one is (fresh evidence only).
    std::optional<sdk::TimePoint> exhaustedUntil(sdk::TimePoint now) const noexcept;

    /// Circuits per (model, route class).
    bool circuitAdmits(const std::string& model, sdk::RouteClass route_class, Steady::time_point now);
    bool circuitAcquire(const std::string& model, sdk::RouteClass route_class, Steady::time_point now);
    /// Returns the new state when the attempt changed it.
    std::optional<CircuitState> circuitSettle(const std::string& model, sdk::RouteClass route_class,
                                              std::optional<bool> success, Steady::time_point now);
    struct CircuitView {
        std::string model;
        sdk::RouteClass route_class;
        CircuitState state;
    };
    std::vector<CircuitView> circuits() const;

private:
    struct AtomicWindow {
        std::atomic<bool> known{false};
        std::atomic<double> used_percent{0.0};
        std::atomic<std::int64_t> window_minutes{0};
        std::atomic<std::int64_t> resets_at_ms{0};
        std::atomic<std::int64_t> observed_at_ms{0};
        void store(const WindowObservation& window, sdk::TimePoint now) noexcept;
        sdk::QuotaWindow read(sdk::TimePoint now, std::chrono::milliseconds freshness) const noexcept;
    };
    struct Circuit {
        std::string model;
        sdk::RouteClass route_class;
        CircuitBreaker breaker;
    };
    Circuit& circuitFor(const std::string& model, sdk::RouteClass route_class);

    std::chrono::milliseconds quota_freshness_;
    std::atomic<std::int64_t> last_success_ms_{0};
    std::atomic<std::int64_t> demoted_until_ms_{0};
    std::atomic<std::int64_t> blocked_until_ms_{0};
    std::atomic<double> ewma_latency_ms_{0.0};
    AtomicWindow primary_;
    AtomicWindow secondary_;
    mutable std::mutex circuits_mutex_;
    std::vector<Circuit> circuits_;
};

}  // namespace sluice::core::routing
