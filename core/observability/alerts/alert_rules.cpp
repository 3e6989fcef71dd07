#include "core/observability/alerts/alert_rules.hpp"

#include <cmath>

#include "core/accounting/utc_time.hpp"

namespace sluice::core::observability::alerts {

namespace {

struct RuleTraits {
    const char* name;
    Severity severity;
};

// Indexed by Rule.
constexpr RuleTraits kRuleTraits[kRules] = {
    {"account_needs_sign_in", Severity::Warning}, {"pool_capacity_low", Severity::Warning},
    {"pool_exhausted", Severity::Critical},       {"error_rate_high", Severity::Warning},
    {"storage_degraded", Severity::Critical},
};

Signal matchOf(Rule rule, std::string subject, std::string summary) {
    std::string id = std::string(ruleName(rule)) + ":" + subject;
    return {std::move(id), rule, std::move(subject), std::move(summary), {}, {}};
}

std::string percentText(double percent) {
    return std::to_string(static_cast<long long>(std::floor(percent))) + "%";
}

void accountsNeedingSignIn(const Reading& reading, std::vector<Signal>& out) {
    for (const AccountReading& account : reading.accounts) {
        if (routing::operatorStateOf(account.condition) != routing::OperatorState::NeedsSignIn) {
            continue;
        }
        const std::string& name = account.label.empty() ? account.id : account.label;
        Signal found = matchOf(Rule::AccountNeedsSignIn, account.id,
                               "account " + name + " in pool " + account.pool +
                                   " needs a new sign-in: " + account.reason);
        found.pool = account.pool;
        found.account = account.id;
        out.push_back(std::move(found));
    }
}

// The window's quota left as a share of one account's window, averaged over the capacity
// accounts; accounts without evidence count as full, so the rule fires only on what is known.
std::optional<double> averageLeft(const routing::WindowCapacity& window) {
    if (window.accounts == 0 || window.known == 0) {
        return std::nullopt;
    }
    const double unknown = 100.0 * static_cast<double>(window.accounts - window.known);
    return (window.remaining_percent + unknown) / static_cast<double>(window.accounts);
}

void lowCapacity(const PoolReading& pool, const Thresholds& thresholds, std::vector<Signal>& out) {
    if (thresholds.capacity_below_percent <= 0) {
        return;
    }
    const std::pair<const char*, const routing::WindowCapacity*> windows[] = {
        {"five_hour", &pool.capacity.five_hour}, {"weekly", &pool.capacity.weekly}};
    for (const auto& [name, window] : windows) {
        const auto left = averageLeft(*window);
        if (!left || *left >= thresholds.capacity_below_percent) {
            continue;
        }
        std::string summary = "pool " + pool.name + " has " + percentText(*left) + " of its " +
                              (std::string(name) == "weekly" ? "weekly" : "5-hour") +
                              " quota left (below " +
                              percentText(thresholds.capacity_below_percent) + ")";
        if (window->next_reset) {
            summary += "; next reset " + accounting::rfc3339(*window->next_reset);
        }
        Signal found = matchOf(Rule::PoolCapacityLow, pool.name + ":" + name, std::move(summary));
        found.pool = pool.name;
        out.push_back(std::move(found));
    }
}

void exhausted(const PoolReading& pool, std::vector<Signal>& out) {
    const auto& by_state = pool.capacity.by_state;
    const auto count = [&](routing::OperatorState state) {
        return by_state[static_cast<std::size_t>(state)];
    };
    if (pool.capacity.accounts == 0 || count(routing::OperatorState::Ready) > 0) {
        return;
    }
    std::string summary =
        "pool " + pool.name + ": no account can serve now (" +
        std::to_string(count(routing::OperatorState::CoolingDown)) + " cooling down, " +
        std::to_string(count(routing::OperatorState::Paused)) + " paused, " +
        std::to_string(count(routing::OperatorState::NeedsSignIn)) + " needing sign-in)";
    std::optional<sdk::TimePoint> until = pool.capacity.five_hour.next_reset;
    if (const auto weekly = pool.capacity.weekly.next_reset;
        weekly && (!until || *weekly < *until)) {
        until = weekly;
    }
    summary += until ? "; the earliest window reset is " + accounting::rfc3339(*until)
                     : "; nothing resets by itself";
    Signal found = matchOf(Rule::PoolExhausted, pool.name, std::move(summary));
    found.pool = pool.name;
    out.push_back(std::move(found));
}

void errorRate(const PoolReading& pool, const Thresholds& thresholds, std::vector<Signal>& out) {
    if (thresholds.error_rate_above_percent <= 0 || pool.requests == 0 ||
        pool.requests < thresholds.error_rate_min_requests) {
        return;
    }
    const double rate =
        100.0 * static_cast<double>(pool.errors) / static_cast<double>(pool.requests);
    if (rate <= thresholds.error_rate_above_percent) {
        return;
    }
    Signal found = matchOf(Rule::ErrorRateHigh, pool.name,
                           "pool " + pool.name + ": " + std::to_string(pool.errors) + " of " +
                               std::to_string(pool.requests) + " requests failed in the last " +
                               std::to_string(thresholds.error_rate_window.count()) + " minutes (" +
                               percentText(rate) + ", above " +
                               percentText(thresholds.error_rate_above_percent) + ")");
    found.pool = pool.name;
    out.push_back(std::move(found));
}

void storage(const Reading& reading, std::vector<Signal>& out) {
    if (reading.storage_unreachable) {
        out.push_back(matchOf(Rule::StorageDegraded, "storage",
                              "the storage backend does not answer: /readyz fails and "
                              "operator changes cannot be saved"));
    }
    if (reading.shared_state_problem) {
        out.push_back(matchOf(Rule::StorageDegraded, "shared_state",
                              "shared state unreachable (" + *reading.shared_state_problem +
                                  "); this replica serves on local state"));
    }
}

}  // namespace

const char* ruleName(Rule rule) noexcept {
    return kRuleTraits[static_cast<std::size_t>(rule)].name;
}

Severity severityOf(Rule rule) noexcept {
    return kRuleTraits[static_cast<std::size_t>(rule)].severity;
}

const char* severityName(Severity severity) noexcept {
    return severity == Severity::Critical ? "critical" : "warning";
}

std::vector<Signal> evaluateRules(const Reading& reading, const Thresholds& thresholds) {
    std::vector<Signal> signals;
    storage(reading, signals);
    accountsNeedingSignIn(reading, signals);
    for (const PoolReading& pool : reading.pools) {
        exhausted(pool, signals);
        lowCapacity(pool, thresholds, signals);
        errorRate(pool, thresholds, signals);
    }
    return signals;
}

}  // namespace sluice::core::observability::alerts
