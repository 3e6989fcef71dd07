#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/routing/eligible_set.hpp"
#include "core/routing/pool_capacity.hpp"

namespace sluice::core::observability::alerts {

/// What an alert is about. Each rule has a name and a severity (alert_rules.cpp's table).
enum class Rule : std::uint8_t {
    AccountNeedsSignIn,  ///< an account has no usable login: an operator must sign it in again
    PoolCapacityLow,     ///< a pool's quota left in a window is below the threshold
    PoolExhausted,       ///< no account of a pool can serve now
    ErrorRateHigh,       ///< a pool's share of failed requests is above the threshold
    StorageDegraded,     ///< the storage backend or the replicas' shared state is unreachable
};
inline constexpr std::size_t kRules = 5;

enum class Severity : std::uint8_t { Warning, Critical };

/// "account_needs_sign_in", "pool_capacity_low", "pool_exhausted", "error_rate_high",
/// "storage_degraded".
const char* ruleName(Rule rule) noexcept;
Severity severityOf(Rule rule) noexcept;
/// "warning", "critical".
const char* severityName(Severity severity) noexcept;

/// An account as the rules see it.
struct AccountReading {
    std::string id;
    std::string label;
    std::string pool;
    routing::AccountCondition condition = routing::AccountCondition::Ready;
    std::string reason;  ///< routing::reasonFor: safe to show operators
};

/// A pool as the rules see it: its capacity now and its traffic over the error-rate window.
struct PoolReading {
    std::string name;
    routing::PoolCapacity capacity;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  ///< answered with an HTTP status of 400 or more
};

/// The gateway's state at one moment, read from memory (and one storage ping).
struct Reading {
    sdk::TimePoint at{};
    std::vector<AccountReading> accounts;
    std::vector<PoolReading> pools;
    bool storage_unreachable = false;
    std::optional<std::string> shared_state_problem;  ///< ReplicaLink::degraded()
};

/// The thresholds of the rules that have one (alerts.* in the pipeline).
struct Thresholds {
    /// A window's quota left, averaged over the pool's capacity accounts, below this fires
    /// pool_capacity_low (accounts without evidence count as full); 0 turns the rule off.
    double capacity_below_percent = 0;
    /// Errors over requests in the window above this fires error_rate_high; 0 turns it off.
    double error_rate_above_percent = 0;
    /// Fewer requests than this in the window never fire error_rate_high.
    std::uint64_t error_rate_min_requests = 0;
    std::chrono::minutes error_rate_window{5};  ///< for the summary text
};

/// One rule matching one subject now. The id is stable while the condition lasts:
/// "<rule>:<subject>".
struct Signal {
    std::string id;
    Rule rule = Rule::StorageDegraded;
    std::string subject;  ///< account id, pool name (with the window), "storage", "shared_state"
    std::string summary;  ///< one line for people; no secret, no credential
    std::string pool;     ///< empty when the alert is not about a pool
    std::string account;  ///< empty when the alert is not about an account
};

/// Every rule against `reading`, in a stable order. Pure: no clock, no I/O.
std::vector<Signal> evaluateRules(const Reading& reading, const Thresholds& thresholds);

}  // namespace sluice::core::observability::alerts
