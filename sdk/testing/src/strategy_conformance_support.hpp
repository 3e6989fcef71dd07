#pragma once

// Shared by the strategy conformance suite's files: generated candidate snapshots and the
// check every order() answer must pass. Internal to sdk_testing.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::sdk::testing::strategy_conformance {

/// The instant every snapshot is taken at.
TimePoint snapshotTime();

/// Candidates plus the storage their ids, labels and label sets point into. Movable (the
/// vectors keep their buffers), not copyable (a copy's views would point into the original).
class Snapshot {
public:
    /// `count` candidates with fields drawn from `seed`: see strategy_conformance.hpp.
    Snapshot(std::uint64_t seed, std::size_t count);
    Snapshot(Snapshot&&) = default;
    Snapshot& operator=(Snapshot&&) = default;
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

    std::vector<Candidate>& candidates() { return candidates_; }
    const std::vector<Candidate>& candidates() const { return candidates_; }
    std::size_t untried() const;

    /// A context over the candidates, as the host builds it.
    PickContext context(std::size_t limit, bool seeded = false, std::uint64_t seed = 0,
                        std::uint32_t attempt = 0) const;

private:
    std::vector<std::string> ids_;
    std::vector<std::string> labels_;
    std::vector<Candidate> candidates_;
};

/// Whether `out[base..]` is a valid answer to `context` (see strategy_conformance.hpp), with a
/// message naming the first broken rule.
::testing::AssertionResult validOrder(const PickContext& context,
                                      const std::vector<std::uint32_t>& out, std::size_t base,
                                      bool offers_all);

/// Text of an order, for messages: "[3 0 7]".
std::string describe(const std::vector<std::uint32_t>& order);

// Defined by the suite's second file; linkStrategyConformanceSuite() (in the first) calls it so
// the linker keeps both files' tests.
int concurrencyTestsAnchor();

}  // namespace sluice::sdk::testing::strategy_conformance
