// Determinism and thread safety: same calls, same answers (also without the live fields a
// strategy says it does not read); many threads, no broken answers.

#include <atomic>
#include <thread>

#include "sluice/sdk/testing/strategy_conformance.hpp"
#include "strategy_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace strategy_conformance;

namespace {

constexpr int kThreads = 4;
constexpr int kRoundsPerThread = 400;

std::vector<Snapshot> snapshotSet(std::uint64_t first_seed, std::size_t count) {
    std::vector<Snapshot> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        // Sizes 0, 1, 2 and up to 200, so corner cases meet concurrency too.
        const std::size_t size = i < 3 ? i : (i * 37) % 200 + 3;
        out.emplace_back(first_seed + i, size);
    }
    return out;
}

Outcome outcomeFor(const Snapshot& snapshot, std::size_t round) {
    static constexpr OutcomeKind kKinds[] = {OutcomeKind::Success,        OutcomeKind::RateLimited,
                                             OutcomeKind::QuotaExhausted, OutcomeKind::ServerError,
                                             OutcomeKind::NetworkError,   OutcomeKind::Rejected};
    Outcome outcome;
    // Sometimes an account the strategy has never been offered: the host may report any.
    outcome.account_id = snapshot.candidates().empty() || round % 5 == 0
                             ? std::string_view("acct_never_seen")
                             : snapshot.candidates()[round % snapshot.candidates().size()].id;
    outcome.model = "gpt-5.5";
    outcome.kind = kKinds[round % 6];
    outcome.latency = std::chrono::microseconds(1000 + round * 10);
    outcome.total_tokens = round * 3;
    return outcome;
}

// One scripted history: orders with and without seeds, at varying limits and attempts, with
// outcomes in between. Returns every answer.
std::vector<std::vector<std::uint32_t>> replay(RoutingStrategy& strategy,
                                               const std::vector<Snapshot>& snapshots) {
    std::vector<std::vector<std::uint32_t>> answers;
    for (std::size_t round = 0; round < 120; ++round) {
        const Snapshot& snapshot = snapshots[round % snapshots.size()];
        const bool seeded = round % 3 == 1;
        const PickContext context = snapshot.context(1 + round % 5, seeded, round / 6,
                                                     static_cast<std::uint32_t>(round % 2));
        std::vector<std::uint32_t> out;
        strategy.order(context, out);
        answers.push_back(std::move(out));
        if (round % 2 == 0) {
            strategy.onOutcome(outcomeFor(snapshot, round));
        }
    }
    return answers;
}

TEST_P(StrategyConformanceTest, SameCallsGiveSameOrdersFromFreshInstances) {
    const std::vector<Snapshot> snapshots = snapshotSet(500, 12);
    FakeHost first_host;
    FakeHost second_host;
    const auto first = makeStrategy(first_host);
    const auto second = makeStrategy(second_host);
    const auto first_answers = replay(*first, snapshots);
    const auto second_answers = replay(*second, snapshots);
    ASSERT_EQ(first_answers.size(), second_answers.size());
    for (std::size_t i = 0; i < first_answers.size(); ++i) {
        EXPECT_EQ(first_answers[i], second_answers[i])
            << "call " << i << ": " << describe(first_answers[i]) << " vs "
            << describe(second_answers[i]);
    }
}

TEST_P(StrategyConformanceTest, LiveFieldsItDoesNotDeclareDoNotChangeItsOrders) {
    FakeHost first_host;
    FakeHost second_host;
    const auto full = makeStrategy(first_host);
    const auto* declared = dynamic_cast<const ReadsLiveFields*>(full.get());
    if (declared == nullptr) {
        GTEST_SKIP() << "declares no live fields, so the host fills them all";
    }
    const LiveFields live = declared->liveFields();
    std::vector<Snapshot> snapshots = snapshotSet(800, 12);
    const auto full_answers = replay(*full, snapshots);
    for (Snapshot& snapshot : snapshots) {
        for (Candidate& candidate : snapshot.candidates()) {  // as the host leaves them
            candidate.in_flight = live.in_flight ? candidate.in_flight : 0;
            candidate.primary = live.quota ? candidate.primary : QuotaWindow{};
            candidate.secondary = live.quota ? candidate.secondary : QuotaWindow{};
            candidate.last_success = live.last_success ? candidate.last_success : TimePoint{};
            candidate.ewma_latency_ms = live.ewma_latency ? candidate.ewma_latency_ms : 0.0;
        }
    }
    const auto declared_answers = replay(*makeStrategy(second_host), snapshots);
    ASSERT_EQ(full_answers.size(), declared_answers.size());
    for (std::size_t i = 0; i < full_answers.size(); ++i) {
        EXPECT_EQ(full_answers[i], declared_answers[i])
            << "call " << i << ": " << describe(full_answers[i]) << " with every field vs "
            << describe(declared_answers[i]) << " with the declared ones";
    }
}

TEST_P(StrategyConformanceTest, OutcomesForAnyAccountAreAccepted) {
    const auto strategy = makeStrategy();
    const std::vector<Snapshot> snapshots = snapshotSet(700, 6);
    for (std::size_t round = 0; round < 60; ++round) {
        strategy->onOutcome(outcomeFor(snapshots[round % snapshots.size()], round));
    }
    Outcome empty;
    strategy->onOutcome(empty);
    for (const Snapshot& snapshot : snapshots) {
        std::vector<std::uint32_t> out;
        const PickContext context = snapshot.context(4);
        strategy->order(context, out);
        EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all));
    }
}

TEST_P(StrategyConformanceTest, ConcurrentCallsKeepEveryAnswerValid) {
    const auto strategy = makeStrategy();
    const std::vector<Snapshot> snapshots = snapshotSet(900, 16);
    const bool offers_all = GetParam().offers_all;
    std::atomic<int> invalid{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            while (!go.load(std::memory_order_acquire)) {
                std::this_thread::yield();
            }
            std::vector<std::uint32_t> out;
            for (int round = 0; round < kRoundsPerThread; ++round) {
                const auto r = static_cast<std::size_t>(round * kThreads + t);
                const Snapshot& snapshot = snapshots[r % snapshots.size()];
                const PickContext context = snapshot.context(1 + r % 8, r % 4 == 0, r / 16);
                out.clear();
                strategy->order(context, out);
                if (!validOrder(context, out, 0, offers_all)) {
                    invalid.fetch_add(1);
                }
                strategy->onOutcome(outcomeFor(snapshot, r));
            }
        });
    }
    go.store(true, std::memory_order_release);
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(invalid.load(), 0) << "answers broke a rule while " << kThreads
                                 << " threads shared one instance";
}

}  // namespace

namespace strategy_conformance {
int concurrencyTestsAnchor() {
    return 0;
}
}  // namespace strategy_conformance

}  // namespace sluice::sdk::testing
