#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/observability/alerts/alert_rules.hpp"

namespace sluice::core::observability::alerts {

/// An alert's life: it fires when its rule first matches and resolves when the rule stops
/// matching. A resolved alert that matches again fires anew (a new `since`).
enum class Phase : std::uint8_t { Firing, Resolved };
/// "firing", "resolved".
const char* phaseName(Phase phase) noexcept;

struct Alert {
    Signal signal;  ///< the latest match (the summary follows it while firing)
    Phase phase = Phase::Firing;
    sdk::TimePoint since{};                     ///< when it fired
    std::optional<sdk::TimePoint> resolved_at;  ///< when it resolved
};

/// {id, rule, severity, subject, summary, phase, since, resolved_at, pool, account}: as
/// alerts.list shows it and the webhook delivers it (times RFC 3339, absent ones null).
nlohmann::json toJson(const Alert& alert);

/// The alerts of this gateway process: fed by the monitor's thread with each evaluation's
/// signals, read by operator operations. Thread-safe; each call holds one short lock.
class AlertBoard final {
public:
    /// How long a resolved alert stays listed.
    static constexpr std::chrono::hours kKeepResolved{1};

    /// Applies one evaluation made at `now` and returns the transitions it caused (fired and
    /// resolved alerts, in that order): only those are delivered, so a condition that lasts
    /// is announced once.
    std::vector<Alert> apply(const std::vector<Signal>& signals, sdk::TimePoint now);
    /// Firing alerts (oldest first), then those resolved within kKeepResolved (latest first).
    std::vector<Alert> list() const;
    std::size_t firing() const;

private:
    void fire(const Signal& signal, sdk::TimePoint now, std::vector<Alert>& changed);
    void resolve(Alert& alert, sdk::TimePoint now, std::vector<Alert>& changed);

    mutable std::mutex mutex_;
    std::map<std::string, Alert> alerts_;  ///< by id
};

}  // namespace sluice::core::observability::alerts
