#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/routing/block_mirror.hpp"
#include "core/routing/circuit_breaker.hpp"
#include "core/routing/quota_evidence.hpp"
#include "sluice/sdk/route_class.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::core::routing {

/// What the gateway has learned about one upstream account while running: load, health,
/// circuits and quota. Lives across directory refreshes (keyed by account id). Scalar fields
/// are atomics so building a routing snapshot never waits; circuits take a short lock, and only
/// when one of them is not closed.
///
/// Every change that can make an account eligible or not, or move its cooldown, advances one
/// process-wide epoch after the change is stored: route planning keeps each pool's eligible set
/// while the epoch holds still (EligibleSetCache). Such events are rare next to requests, so one
/// counter for all accounts costs little; an event elsewhere only causes a rebuild.
class AccountState final {
public:
    using Steady = std::chrono::steady_clock;

    /// Quota windows observed longer than `quota_freshness` ago read as unknown; `account_id`
    /// names the account to a BlockMirror.
    explicit AccountState(std::chrono::milliseconds quota_freshness = std::chrono::minutes(15),
                          std::string account_id = {})
        : quota_freshness_(quota_freshness), account_id_(std::move(account_id)) {}

    /// Failed accounts are tried last for this long.
    static constexpr std::chrono::seconds kDemotion{60};

    std::atomic<std::uint32_t> in_flight{0};

    /// Read before reading the states an eligible set is built from (acquire).
    static std::uint64_t eligibilityEpoch() noexcept {
        return epoch_.load(std::memory_order_acquire);
    }
    /// Advances when any account's quota window becomes known for the first time: a view of a
    /// pool's quota built before then misses it (see QuotaPresenter).
    static std::uint64_t knowledgeEpoch() noexcept {
        return knowledge_epoch_.load(std::memory_order_acquire);
    }

    void recordSuccess(sdk::TimePoint now, std::chrono::microseconds latency) noexcept;
    void recordFailure(sdk::TimePoint now) noexcept;
    /// Stores what this replica observed; a usage-limit block it extends goes to the mirror.
    void applyQuota(const QuotaObservation& quota, sdk::TimePoint now) noexcept;
    /// Takes a usage-limit block another replica observed (never mirrored back). Returns
    /// whether it extended this account's block.
    bool adoptBlock(sdk::TimePoint until, sdk::TimePoint now) noexcept;
    /// Shares the blocks this replica observes from now on through `mirror`, which outlives
    /// this state. Any thread.
    void reportBlocksTo(BlockMirror& mirror) noexcept {
        mirror_.store(&mirror, std::memory_order_release);
    }

    // The readers below run for every account of a pool on every request: inline, lock-free.
    sdk::TimePoint lastSuccess() const noexcept {
        return fromMs(last_success_ms_.load(std::memory_order_relaxed));
    }
    sdk::TimePoint demotedUntil() const noexcept {
        return fromMs(demoted_until_ms_.load(std::memory_order_relaxed));
    }
    sdk::TimePoint blockedUntil() const noexcept {
        return fromMs(blocked_until_ms_.load(std::memory_order_relaxed));
    }
    double ewmaLatencyMs() const noexcept {
        return ewma_latency_ms_.load(std::memory_order_relaxed);
    }
    sdk::QuotaWindow primary(sdk::TimePoint now) const noexcept {
        return primary_.read(now, quota_freshness_);
    }
    sdk::QuotaWindow secondary(sdk::TimePoint now) const noexcept {
        return secondary_.read(now, quota_freshness_);
    }
    /// The last evidence of a window, stale or not: when it was observed and where from.
    struct Evidence {
        sdk::TimePoint observed_at;
        QuotaSource source = QuotaSource::Unknown;
    };
    /// Nullopt while the window was never observed. Read by operator views, not by routing.
    std::optional<Evidence> primaryEvidence() const noexcept { return primary_.evidence(); }
    std::optional<Evidence> secondaryEvidence() const noexcept { return secondary_.evidence(); }
    /// What the upstream last said of the account's plan and credits (not quota windows).
    struct Reported {
        std::string plan_type;  ///< empty when never said
        std::optional<CreditsObservation> credits;
    };
    std::shared_ptr<const Reported> reported() const noexcept {
        return reported_.load(std::memory_order_acquire);
    }
    /// The reset time of a window known to be used up, if one is (fresh evidence only).
    std::optional<sdk::TimePoint> exhaustedUntil(sdk::TimePoint now) const noexcept {
        if (primary_.used_percent.load(std::memory_order_relaxed) < 100.0 &&
            secondary_.used_percent.load(std::memory_order_relaxed) < 100.0) {
            return std::nullopt;
        }
        return latestUsedUpReset(now);
    }
    /// When a used-up window stops excluding the account by itself (it resets, or its evidence
    /// goes stale), at the earliest; max() when none is used up.
    sdk::TimePoint exhaustionLapsesAt(sdk::TimePoint now) const noexcept;

    /// Circuits per (model, route class).
    bool circuitAdmits(const std::string& model, sdk::RouteClass route_class,
                       Steady::time_point now) {
        return !anyCircuitNotClosed() || circuitAdmitsUnderLock(model, route_class, now);
    }
    bool anyCircuitNotClosed() const noexcept {
        return circuits_not_closed_.load(std::memory_order_acquire) != 0;
    }
    /// When the open circuit for (model, route class) admits its probe; nullopt when it is not
    /// open.
    std::optional<Steady::time_point> circuitReopensAt(const std::string& model,
                                                       sdk::RouteClass route_class) const;
    bool circuitAcquire(const std::string& model, sdk::RouteClass route_class,
                        Steady::time_point now);
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
    static std::int64_t toMs(sdk::TimePoint time) noexcept {
        return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch())
            .count();
    }
    static sdk::TimePoint fromMs(std::int64_t ms) noexcept {
        return sdk::TimePoint(std::chrono::milliseconds(ms));
    }

    struct AtomicWindow {
        std::atomic<bool> known{false};
        std::atomic<double> used_percent{0.0};
        std::atomic<std::int64_t> window_minutes{0};
        std::atomic<std::int64_t> resets_at_ms{0};
        std::atomic<std::int64_t> observed_at_ms{0};
        std::atomic<QuotaSource> source{QuotaSource::Unknown};
        /// Returns whether the window was or is now used up: whether eligibility may have moved.
        bool store(const WindowObservation& window, sdk::TimePoint now) noexcept;
        sdk::QuotaWindow read(sdk::TimePoint now,
                              std::chrono::milliseconds freshness) const noexcept {
            sdk::QuotaWindow window;
            window.known =
                known.load(std::memory_order_acquire) &&
                toMs(now) - observed_at_ms.load(std::memory_order_relaxed) <= freshness.count();
            window.used_percent = used_percent.load(std::memory_order_relaxed);
            window.window_minutes = window_minutes.load(std::memory_order_relaxed);
            window.resets_at = fromMs(resets_at_ms.load(std::memory_order_relaxed));
            return window;
        }
        std::optional<Evidence> evidence() const noexcept {
            if (!known.load(std::memory_order_acquire)) {
                return std::nullopt;
            }
            return Evidence{fromMs(observed_at_ms.load(std::memory_order_relaxed)),
                            source.load(std::memory_order_relaxed)};
        }
    };
    std::optional<sdk::TimePoint> latestUsedUpReset(sdk::TimePoint now) const noexcept;
    void storeReported(const QuotaObservation& quota) noexcept;
    static void advanceEpoch() noexcept { epoch_.fetch_add(1, std::memory_order_release); }
    bool circuitAdmitsUnderLock(const std::string& model, sdk::RouteClass route_class,
                                Steady::time_point now);
    struct Circuit {
        std::string model;
        sdk::RouteClass route_class;
        CircuitBreaker breaker;
    };
    Circuit& circuitFor(const std::string& model, sdk::RouteClass route_class);

    std::chrono::milliseconds quota_freshness_;
    const std::string account_id_;
    std::atomic<BlockMirror*> mirror_{nullptr};
    std::atomic<std::int64_t> last_success_ms_{0};
    std::atomic<std::int64_t> demoted_until_ms_{0};
    std::atomic<std::int64_t> blocked_until_ms_{0};
    std::atomic<double> ewma_latency_ms_{0.0};
    AtomicWindow primary_;
    AtomicWindow secondary_;
    std::atomic<std::shared_ptr<const Reported>> reported_{std::make_shared<const Reported>()};
    mutable std::mutex circuits_mutex_;
    std::vector<Circuit> circuits_;
    std::atomic<std::uint32_t> circuits_not_closed_{0};  ///< kept under circuits_mutex_
    static inline std::atomic<std::uint64_t> epoch_{0};
    static inline std::atomic<std::uint64_t> knowledge_epoch_{0};
};

}  // namespace sluice::core::routing
