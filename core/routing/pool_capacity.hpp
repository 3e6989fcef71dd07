#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include "core/routing/eligible_set.hpp"
#include "core/routing/routing_table.hpp"

namespace sluice::core::routing {

/// An account's condition as the operator console tallies it: can it serve, will it again by
/// itself, or does it wait for an operator.
enum class OperatorState : std::uint8_t {
    Ready,        ///< serves now
    CoolingDown,  ///< serves again by itself: a usage limit or window resets, a circuit closes
    Paused,       ///< taken out of rotation by an operator (paused or disabled)
    NeedsSignIn,  ///< no usable login: re-authentication or new credentials needed
};
inline constexpr std::size_t kOperatorStates = 4;
/// "ready", "cooling_down", "paused", "needs_sign_in".
const char* operatorStateName(OperatorState state) noexcept;
OperatorState operatorStateOf(AccountCondition condition) noexcept;
/// Whether an account in `condition` is capacity: it serves now or will again without an operator.
bool isCapacity(AccountCondition condition) noexcept;

/// One quota window summed over a pool's capacity accounts.
struct WindowCapacity {
    std::size_t accounts = 0;  ///< capacity accounts
    std::size_t known = 0;     ///< of those, with fresh evidence of this window (or usage-limited)
    /// Sum over the `known` accounts of the share left (100 - used percent): 150 is one and a
    /// half accounts' windows. Accounts without evidence add nothing.
    double remaining_percent = 0.0;
    std::optional<sdk::TimePoint> next_reset;  ///< the earliest reset ahead among `known`
};

/// A pool at a glance (the console's overview).
struct PoolCapacity {
    std::size_t accounts = 0;
    std::array<std::size_t, kOperatorStates> by_state{};
    WindowCapacity five_hour;  ///< the primary (short) window
    WindowCapacity weekly;     ///< the secondary (long) window
};

/// An account's condition now (RoutePlanner::assess, or standingOf where circuits do not matter).
using ConditionOf = std::function<AccountCondition(const RoutedAccount&)>;

/// Reads account state only (lock-free atomics): cheap enough for every overview request. A
/// usage-limited account is known to have nothing left in its 5 h window until the limit lifts.
PoolCapacity poolCapacity(const PoolRoute& pool, const ConditionOf& condition_of,
                          sdk::TimePoint now);

}  // namespace sluice::core::routing
