#include "strategy_conformance_support.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <utility>

namespace sluice::sdk::testing::strategy_conformance {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Label sets shared by every snapshot: the host never passes null, but accounts may have none.
const std::array<Labels, 4> kLabelSets{
    Labels{{"tier", "pro"}, {"region", "eu"}},
    Labels{{"tier", "free"}},
    Labels{{"region", "us"}, {"tier", "pro"}},
    Labels{},
};

constexpr std::array<std::uint32_t, 8> kWeights{1, 1, 1, 2, 3, 5, 10, 1000};

// Draws from a 64-bit engine by modulo, so snapshots are the same with every standard library
// (the std distributions are implementation-defined).
class Draw {
public:
    explicit Draw(std::uint64_t seed) : engine_(seed) {}
    std::uint64_t below(std::uint64_t n) { return engine_() % n; }
    bool percent(std::uint64_t p) { return below(100) < p; }
    std::uint64_t raw() { return engine_(); }

private:
    std::mt19937_64 engine_;
};

QuotaWindow windowOf(Draw& draw, std::int64_t minutes) {
    QuotaWindow window;
    if (!draw.percent(70)) {
        return window;
    }
    window.known = true;
    window.used_percent = static_cast<double>(draw.below(10'001)) / 100.0;
    window.window_minutes = minutes;
    const std::uint64_t when = draw.below(10);
    if (when == 0) {
        window.resets_at = TimePoint{};  // reset time unknown
    } else if (when == 1) {
        window.resets_at = snapshotTime() - seconds(1 + draw.below(3600));  // already reset
    } else {
        window.resets_at = snapshotTime() + seconds(1 + draw.below(7 * 24 * 3600));
    }
    return window;
}

}  // namespace

TimePoint snapshotTime() {
    return TimePoint(seconds(1'800'000'000));
}

Snapshot::Snapshot(std::uint64_t seed, std::size_t count) {
    Draw draw(seed);
    // Every string is built before any view of it is taken: the vectors must not grow after.
    ids_.reserve(count);
    labels_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        // Appended piecewise: GCC 12 warns falsely (-Wrestrict) about "literal" + std::string.
        std::string& id = ids_.emplace_back("acct_");
        id.append(std::to_string(i)).append("_").append(std::to_string(draw.below(1000)));
        // Label order differs from snapshot order, so strategies ordering by label are seen to.
        std::string& label = labels_.emplace_back("account-");
        label.append(std::to_string(draw.below(100'000))).append("-").append(std::to_string(i));
    }
    candidates_.resize(count);
    const TimePoint now = snapshotTime();
    for (std::size_t i = 0; i < count; ++i) {
        Candidate& c = candidates_[i];
        c.id = ids_[i];
        c.label = labels_[i];
        c.id_hash = draw.raw();
        c.labels = &kLabelSets[draw.below(kLabelSets.size())];
        c.weight = kWeights[draw.below(kWeights.size())];
        c.priority = static_cast<std::int32_t>(draw.below(3)) - 1;
        c.in_flight = draw.percent(50) ? 0 : static_cast<std::uint32_t>(1 + draw.below(4));
        c.primary = windowOf(draw, 300);
        c.secondary = windowOf(draw, 10'080);
        const std::uint64_t cooldown = draw.below(100);
        if (cooldown < 15) {
            c.cooldown_until = now + seconds(30);
        } else if (cooldown < 20) {
            c.cooldown_until = now - seconds(10);  // over: not demoted any more
        }
        if (draw.percent(70)) {
            c.last_success = now - milliseconds(draw.below(3'600'000));
        }
        if (draw.percent(70)) {
            c.ewma_latency_ms = 50.0 + static_cast<double>(draw.below(3000));
        }
        c.tried = draw.percent(20);
    }
}

std::size_t Snapshot::untried() const {
    std::size_t out = 0;
    for (const Candidate& candidate : candidates_) {
        out += candidate.tried ? 0 : 1;
    }
    return out;
}

PickContext Snapshot::context(std::size_t limit, bool seeded, std::uint64_t seed,
                              std::uint32_t attempt) const {
    PickContext context;
    context.pool = "team";
    context.model = "gpt-5.5";
    context.route_class = "proxy_stream";
    context.has_affinity_seed = seeded;
    context.affinity_seed = seeded ? seed : 0;
    context.attempt = attempt;
    context.limit = limit;
    context.now = snapshotTime();
    context.candidates = candidates_.empty() ? nullptr : candidates_.data();
    context.candidate_count = candidates_.size();
    return context;
}

::testing::AssertionResult validOrder(const PickContext& context,
                                      const std::vector<std::uint32_t>& out, std::size_t base,
                                      bool offers_all) {
    if (out.size() < base) {
        return ::testing::AssertionFailure()
               << "removed entries that were in `out` before the call: " << describe(out);
    }
    const std::size_t appended = out.size() - base;
    if (appended > context.limit) {
        return ::testing::AssertionFailure()
               << appended << " indices for a limit of " << context.limit << ": " << describe(out);
    }
    std::vector<bool> seen(context.candidate_count, false);
    std::size_t untried = 0;
    for (std::size_t i = 0; i < context.candidate_count; ++i) {
        untried += context.candidates[i].tried ? 0 : 1;
    }
    bool demoted_seen = false;
    for (std::size_t i = base; i < out.size(); ++i) {
        const std::uint32_t index = out[i];
        if (index >= context.candidate_count) {
            return ::testing::AssertionFailure() << "index " << index << " out of range (only "
                                                 << context.candidate_count << " candidates)";
        }
        if (seen[index]) {
            return ::testing::AssertionFailure()
                   << "index " << index << " twice: " << describe(out);
        }
        seen[index] = true;
        const Candidate& candidate = context.candidates[index];
        if (candidate.tried) {
            return ::testing::AssertionFailure() << "index " << index << " is a tried candidate";
        }
        const bool demoted = candidate.cooldown_until > context.now;
        if (demoted_seen && !demoted) {
            return ::testing::AssertionFailure()
                   << "healthy index " << index << " after a demoted one: " << describe(out);
        }
        demoted_seen = demoted_seen || demoted;
    }
    const std::size_t expected = std::min(context.limit, untried);
    if (offers_all && appended != expected) {
        return ::testing::AssertionFailure()
               << appended << " indices, expected min(limit " << context.limit << ", untried "
               << untried << "): " << describe(out);
    }
    return ::testing::AssertionSuccess();
}

std::string describe(const std::vector<std::uint32_t>& order) {
    std::string out = "[";
    for (std::size_t i = 0; i < order.size(); ++i) {
        out.append(i == 0 ? "" : " ").append(std::to_string(order[i]));
    }
    return out.append("]");
}

}  // namespace sluice::sdk::testing::strategy_conformance
