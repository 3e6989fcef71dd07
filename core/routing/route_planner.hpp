#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/routing/affinity_table.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::routing {

/// What a request asks of routing.
struct RouteQuery {
    std::string model;
    sdk::RouteClass route_class = sdk::RouteClass::ProxyHttp;
    std::string session_key;       ///< soft affinity
    std::string prompt_cache_key;  ///< soft affinity seed when there is no session
    std::string pinned_account;    ///< hard pin (account id)
};

/// An account's condition and, when not ready, why (safe to show operators and clients).
struct Eligibility {
    AccountCondition condition = AccountCondition::Ready;
    std::string reason;

    bool ready() const noexcept { return condition == AccountCondition::Ready; }
};

/// One routing decision: accounts to try in order (best first), and who was excluded.
struct RoutePlan {
    std::vector<RoutedAccountPtr> order;
    std::vector<Exclusion> excluded;
    std::string affinity_account;  ///< the account the conversation was on, if any
    bool pinned = false;
    /// The eligible-set epoch (AccountState::eligibilityEpoch) the plan was made from.
    std::uint64_t epoch = 0;
};

/// Hard eligibility (the pool's EligibleSet, and circuits for the model), then continuity and the
/// pool's strategy. Used by the dispatcher for every attempt and by dry runs (route explain /
/// preview) with no side effects. Thread-safe.
class RoutePlanner final {
public:
    RoutePlanner(AffinityTable& affinities, const sdk::Clock& clock)
        : affinities_(affinities), clock_(clock) {}

    /// Plans attempt number `attempt`, skipping accounts already `tried`; at most `limit`.
    RoutePlan plan(const PoolRoute& pool, const RouteQuery& query,
                   const std::vector<std::string>& tried, std::uint32_t attempt,
                   std::size_t limit) const;

    /// Whether `account` can serve `query` now, and why not.
    Eligibility assess(const RoutedAccount& account, const RouteQuery& query,
                       sdk::TimePoint now) const;

    /// The continuity key of a query: its session, else its prompt cache key.
    static std::string_view continuityKey(const RouteQuery& query);

    AffinityTable& affinities() noexcept { return affinities_; }

private:
    /// Positions of `set` this request may not use: accounts whose circuit for the model refuses
    /// (added to the plan's exclusions after the set's own) and accounts already tried.
    std::vector<std::uint32_t> leftOut(const EligibleSet& set, const RouteQuery& query,
                                       const std::vector<std::string>& tried, RoutePlan& plan,
                                       sdk::TimePoint now) const;

    AffinityTable& affinities_;
    const sdk::Clock& clock_;
};

}  // namespace sluice::core::routing
