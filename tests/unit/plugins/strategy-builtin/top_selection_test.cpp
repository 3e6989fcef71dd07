#include "plugins/strategy-builtin/top_selection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <tuple>

namespace sluice::plugins::strategy_builtin {
namespace {

const sdk::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

// Candidates whose key is `keys[i]` (upper bits) and `ties[i]` (two low bits); every fifth is
// demoted and every seventh tried.
struct Case {
    std::vector<sdk::Candidate> candidates;
    std::vector<std::uint64_t> keys;
    std::vector<std::uint64_t> ties;

    sdk::PickContext context() const {
        sdk::PickContext context;
        context.now = kNow;
        context.candidates = candidates.data();
        context.candidate_count = candidates.size();
        return context;
    }

    // The whole ranking by a full sort: what partial selection must agree with.
    std::vector<std::uint32_t> sorted(std::uint32_t skip) const {
        std::vector<std::uint32_t> out;
        for (std::uint32_t i = 0; i < candidates.size(); ++i) {
            if (!candidates[i].tried && i != skip) {
                out.push_back(i);
            }
        }
        std::sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
            const bool da = isDemoted(candidates[a], kNow);
            const bool db = isDemoted(candidates[b], kNow);
            return std::tuple(da, keys[a], ties[a], a) < std::tuple(db, keys[b], ties[b], b);
        });
        return out;
    }
};

Case randomCase(std::uint64_t seed, std::size_t count) {
    std::mt19937_64 engine(seed);
    Case out;
    out.candidates.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        out.keys.push_back(engine() % 20);  // many equal keys
        out.ties.push_back(engine() % 4);
        out.candidates[i].tried = i % 7 == 3;
        if (i % 5 == 1) {
            out.candidates[i].cooldown_until = kNow + std::chrono::seconds(5);
        }
    }
    return out;
}

TEST(TopSelectionTest, AgreesWithAFullSortForEveryLimit) {
    for (const std::size_t count : {0, 1, 2, 9, 70, 300}) {
        const Case c = randomCase(count, count);
        for (const std::uint32_t skip : {kNoIndex, 0U, 4U}) {
            const auto expected = c.sorted(skip);
            for (std::size_t wanted = 0; wanted <= count + 2; ++wanted) {
                std::vector<std::uint32_t> out{99, 98};
                // The key functions get a candidate; its position gives its test values.
                const auto at = [&](const sdk::Candidate& candidate) {
                    return static_cast<std::size_t>(&candidate - c.candidates.data());
                };
                appendBest(
                    c.context(), wanted,
                    [&](const sdk::Candidate& candidate) {
                        return c.keys[at(candidate)] << 2 | c.ties[at(candidate)];
                    },
                    out, skip);
                std::vector<std::uint32_t> want{99, 98};
                want.insert(want.end(), expected.begin(),
                            expected.begin() +
                                static_cast<std::ptrdiff_t>(std::min(wanted, expected.size())));
                ASSERT_EQ(out, want)
                    << count << " candidates, wanted " << wanted << ", skip " << skip;
            }
        }
    }
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin
