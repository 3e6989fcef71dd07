#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::core::routing {

struct RoutedAccount;
struct PoolRoute;

/// Whether an account can serve now, as a small fixed set (metrics, admin views).
enum class AccountCondition : std::uint8_t {
    Ready,
    Paused,
    Disabled,
    ReauthRequired,
    NoCredentials,
    TokenExpired,
    UsageLimited,    ///< upstream said the usage limit is reached
    QuotaExhausted,  ///< a fresh quota window reads 100%
    CircuitOpen,
};
inline constexpr std::size_t kAccountConditions = 9;
const char* accountConditionName(AccountCondition condition) noexcept;

/// Every condition but circuits (those are per model and route class). Builds no strings and
/// takes no lock.
AccountCondition standingOf(const RoutedAccount& account, sdk::TimePoint now) noexcept;
/// Why an account is in `condition` (safe to show operators and clients); empty when ready.
std::string reasonFor(AccountCondition condition, const RoutedAccount& account,
                      std::string_view model, sdk::TimePoint now);

/// An account left out, and why (metadata safe to show operators and clients).
struct Exclusion {
    std::string account_id;
    std::string label;
    std::string reason;
    /// When it can serve again without an operator (a usage limit or quota window resets, a
    /// circuit admits its probe); max() when nothing says.
    sdk::TimePoint eligible_at = sdk::TimePoint::max();
    bool exhausted = false;  ///< out for its quota: a usage limit, or a used-up window
};

/// The earliest moment any of `excluded` can serve again, if one is known.
std::optional<sdk::TimePoint> earliestEligible(const std::vector<Exclusion>& excluded) noexcept;
/// Retry-After for `at`: whole seconds from `now` rounded up, at least 1; 0 (no header) when
/// nothing is known.
std::int64_t retryAfterSeconds(std::optional<sdk::TimePoint> at, sdk::TimePoint now) noexcept;

/// The accounts of one pool that can serve, with their candidates ready for the strategy.
/// Everything it records changes only through the directory (a new PoolRoute), through
/// account-state events (AccountState::eligibilityEpoch) or at a known time (a token expires, a
/// usage limit or a used-up window ends), so route planning reuses it across requests instead
/// of visiting every account of the pool on each one. Circuits depend on the request's model:
/// the few accounts with one not closed are listed, and each request asks them.
struct EligibleSet {
    std::uint64_t epoch = 0;
    sdk::TimePoint valid_until = sdk::TimePoint::max();
    /// What it was built from: a PoolRoute does not change once published, but a set must
    /// never outlive a change to the account array or the strategy it describes.
    struct Source {
        const void* accounts = nullptr;
        std::size_t account_count = 0;
        const sdk::RoutingStrategy* strategy = nullptr;
        bool operator==(const Source&) const = default;
    };
    static Source sourceOf(const PoolRoute& pool) noexcept;

    Source source;
    std::vector<std::shared_ptr<const RoutedAccount>> accounts;  ///< eligible, in pool order
    std::vector<sdk::Candidate> candidates;  ///< parallel to `accounts`: all but the live fields
    std::unordered_map<std::string_view, std::uint32_t> position;  ///< by account id
    std::vector<std::uint32_t> with_open_circuits;  ///< positions whose circuits are not all closed
    std::vector<Exclusion> excluded;                ///< in pool order
    sdk::LiveFields live_fields = sdk::kAllLiveFields;  ///< what the pool's strategy reads

    static EligibleSet build(const PoolRoute& pool, sdk::TimePoint now);
};

/// One pool's current EligibleSet, rebuilt on first use after it goes stale. Thread-safe.
class EligibleSetCache final {
public:
    std::shared_ptr<const EligibleSet> current(const PoolRoute& pool, sdk::TimePoint now);

private:
    std::mutex rebuild_mutex_;
    std::atomic<std::shared_ptr<const EligibleSet>> current_;
};

}  // namespace sluice::core::routing
