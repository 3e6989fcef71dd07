#include "core/observability/alerts/alert_board.hpp"

#include <algorithm>
#include <set>

#include "core/accounting/utc_time.hpp"

namespace sluice::core::observability::alerts {

const char* phaseName(Phase phase) noexcept {
    return phase == Phase::Firing ? "firing" : "resolved";
}

nlohmann::json toJson(const Alert& alert) {
    using json = nlohmann::json;
    const Signal& signal = alert.signal;
    const auto orNull = [](const std::string& text) {
        return text.empty() ? json(nullptr) : json(text);
    };
    return {{"id", signal.id},
            {"rule", ruleName(signal.rule)},
            {"severity", severityName(severityOf(signal.rule))},
            {"subject", signal.subject},
            {"summary", signal.summary},
            {"phase", phaseName(alert.phase)},
            {"since", accounting::rfc3339(alert.since)},
            {"resolved_at",
             alert.resolved_at ? json(accounting::rfc3339(*alert.resolved_at)) : json(nullptr)},
            {"pool", orNull(signal.pool)},
            {"account", orNull(signal.account)}};
}

std::vector<Alert> AlertBoard::apply(const std::vector<Signal>& signals, sdk::TimePoint now) {
    std::vector<Alert> changed;
    std::lock_guard lock(mutex_);
    std::set<std::string> matching;
    for (const Signal& signal : signals) {
        matching.insert(signal.id);
        const auto known = alerts_.find(signal.id);
        if (known != alerts_.end() && known->second.phase == Phase::Firing) {
            known->second.signal = signal;  // still firing: a new summary, no new delivery
        } else {
            fire(signal, now, changed);
        }
    }
    for (auto it = alerts_.begin(); it != alerts_.end();) {
        Alert& alert = it->second;
        if (alert.phase == Phase::Firing && !matching.count(it->first)) {
            resolve(alert, now, changed);
        }
        if (alert.phase == Phase::Resolved && *alert.resolved_at + kKeepResolved <= now) {
            it = alerts_.erase(it);
        } else {
            ++it;
        }
    }
    return changed;
}

void AlertBoard::fire(const Signal& signal, sdk::TimePoint now, std::vector<Alert>& changed) {
    Alert alert{signal, Phase::Firing, now, std::nullopt};
    alerts_.insert_or_assign(signal.id, alert);
    changed.push_back(std::move(alert));
}

void AlertBoard::resolve(Alert& alert, sdk::TimePoint now, std::vector<Alert>& changed) {
    alert.phase = Phase::Resolved;
    alert.resolved_at = now;
    changed.push_back(alert);
}

std::vector<Alert> AlertBoard::list() const {
    std::vector<Alert> out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, alert] : alerts_) {
            out.push_back(alert);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Alert& a, const Alert& b) {
        if (a.phase != b.phase) {
            return a.phase == Phase::Firing;
        }
        return a.phase == Phase::Firing ? a.since < b.since : *a.resolved_at > *b.resolved_at;
    });
    return out;
}

std::size_t AlertBoard::firing() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(alerts_.begin(), alerts_.end(),
                      [](const auto& entry) { return entry.second.phase == Phase::Firing; }));
}

}  // namespace sluice::core::observability::alerts
