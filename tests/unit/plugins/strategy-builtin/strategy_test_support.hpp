#pragma once

// Candidate pools and calls for the built-in strategies' unit tests: accounts named by id, a
// fixed clock, and strategies made through the plugin's own factories with schema defaults.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sluice/sdk/routing_strategy.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::strategy_builtin::testing {

/// The instant every test's snapshot is taken at.
sdk::TimePoint now();

/// A strategy of the given `type:`, configured from its schema's defaults and `values`.
sdk::RoutingStrategyPtr makeStrategy(const std::string& type,
                                     const sdk::testing::ConfigValues& values = {});

/// Healthy, untried candidates whose ids, labels and id hashes derive from the names given.
class Accounts {
public:
    explicit Accounts(const std::vector<std::string>& ids);

    /// The candidate with this id; throws when there is none.
    sdk::Candidate& operator[](const std::string& id);
    /// Adds one more account at the end of the snapshot.
    sdk::Candidate& add(const std::string& id);
    /// Takes an account out of the snapshot, as the host does once it is ineligible.
    void remove(const std::string& id);
    const std::vector<sdk::Candidate>& candidates() const { return candidates_; }

    /// The ids order() returns for this snapshot, best first.
    std::vector<std::string> order(sdk::RoutingStrategy& strategy, std::size_t limit,
                                   std::optional<std::uint64_t> seed = std::nullopt) const;
    /// The first id order() returns, or "" when it returns none.
    std::string lead(sdk::RoutingStrategy& strategy,
                     std::optional<std::uint64_t> seed = std::nullopt) const;
    /// How often each id led over `requests` calls without a seed.
    std::map<std::string, int> leads(sdk::RoutingStrategy& strategy, int requests) const;

private:
    std::deque<std::string> names_;  // a deque never moves its elements: candidates view them
    std::vector<sdk::Candidate> candidates_;
};

/// A known quota window: `used` percent, resetting `reset_in` from now().
sdk::QuotaWindow window(double used, std::chrono::seconds reset_in);

}  // namespace sluice::plugins::strategy_builtin::testing
