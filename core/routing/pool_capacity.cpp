#include "core/routing/pool_capacity.hpp"

#include <algorithm>

namespace sluice::core::routing {

namespace {

constexpr const char* kOperatorStateNames[kOperatorStates] = {"ready", "cooling_down", "paused",
                                                              "needs_sign_in"};

// Indexed by AccountCondition.
constexpr OperatorState kStateOfCondition[kAccountConditions] = {
    OperatorState::Ready,        // Ready
    OperatorState::Paused,       // Paused
    OperatorState::Paused,       // Disabled
    OperatorState::NeedsSignIn,  // ReauthRequired
    OperatorState::NeedsSignIn,  // NoCredentials
    OperatorState::CoolingDown,  // TokenExpired: the refresher renews it
    OperatorState::CoolingDown,  // UsageLimited
    OperatorState::CoolingDown,  // QuotaExhausted
    OperatorState::CoolingDown,  // CircuitOpen
};

void add(WindowCapacity& sum, const sdk::QuotaWindow& window, std::optional<sdk::TimePoint> block,
         sdk::TimePoint now) {
    ++sum.accounts;
    if (!block && !window.known) {
        return;
    }
    ++sum.known;
    sum.remaining_percent += block ? 0.0 : 100.0 - std::clamp(window.used_percent, 0.0, 100.0);
    const sdk::TimePoint reset = block ? *block : window.resets_at;
    if (reset > now && (!sum.next_reset || reset < *sum.next_reset)) {
        sum.next_reset = reset;
    }
}

}  // namespace

const char* operatorStateName(OperatorState state) noexcept {
    return kOperatorStateNames[static_cast<std::size_t>(state)];
}

OperatorState operatorStateOf(AccountCondition condition) noexcept {
    return kStateOfCondition[static_cast<std::size_t>(condition)];
}

bool isCapacity(AccountCondition condition) noexcept {
    const OperatorState state = operatorStateOf(condition);
    return state == OperatorState::Ready || state == OperatorState::CoolingDown;
}

PoolCapacity poolCapacity(const PoolRoute& pool, const ConditionOf& condition_of,
                          sdk::TimePoint now) {
    PoolCapacity capacity;
    for (const RoutedAccountPtr& account : pool.accounts) {
        const AccountCondition condition = condition_of(*account);
        ++capacity.accounts;
        ++capacity.by_state[static_cast<std::size_t>(operatorStateOf(condition))];
        if (!isCapacity(condition)) {
            continue;
        }
        const AccountState& state = *account->state;
        const auto block = condition == AccountCondition::UsageLimited
                               ? std::optional(state.blockedUntil())
                               : std::nullopt;
        add(capacity.five_hour, state.primary(now), block, now);
        add(capacity.weekly, state.secondary(now), std::nullopt, now);
    }
    return capacity;
}

}  // namespace sluice::core::routing
