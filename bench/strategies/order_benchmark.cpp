// RoutingStrategy::order() of every built-in strategy at 10, 1,000 and 100,000 candidates, ring
// size 3: the per-request cost of routing in a pool of that size. Target: <= 2 us at 1,000.
// `floor/scan` is the reference: one bare pass over the same snapshots.
//   sluice_strategy_order_bench [--benchmark_format=json]   (bench/strategies/order_benchmark.mjs
//   runs it and writes docs/benchmarks.md)

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "plugins/strategy-builtin/strategy_builtin_factory.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"

namespace {

using namespace sluice;

constexpr std::size_t kRingSize = 3;
const sdk::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

// A pool as the host snapshots it: every field a strategy reads is populated and varied, a few
// accounts cooling down, none tried yet (the first attempt of a request).
class Pool {
public:
    explicit Pool(std::size_t count) {
        std::mt19937_64 draw(count);
        ids_.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            ids_.push_back("acct_" + std::to_string(draw()));
        }
        candidates_.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            sdk::Candidate& c = candidates_[i];
            c.id = ids_[i];
            c.label = ids_[i];
            c.id_hash = draw();
            c.labels = &labels_;
            c.weight = 1 + static_cast<std::uint32_t>(draw() % 4);
            c.priority = static_cast<std::int32_t>(draw() % 3);
            c.in_flight = static_cast<std::uint32_t>(draw() % 4);
            c.primary = window(draw, 300);
            c.secondary = window(draw, 10'080);
            if (draw() % 20 == 0) {
                c.cooldown_until = kNow + std::chrono::seconds(30);
            }
            c.last_success = kNow - std::chrono::milliseconds(draw() % 3'600'000);
            c.ewma_latency_ms = draw() % 10 == 0 ? 0.0 : 100.0 + static_cast<double>(draw() % 2000);
        }
    }

    sdk::PickContext context() const {
        sdk::PickContext context;
        context.pool = "team";
        context.model = "gpt-5.5";
        context.route_class = "proxy_stream";
        context.limit = kRingSize;
        context.now = kNow;
        context.candidates = candidates_.data();
        context.candidate_count = candidates_.size();
        return context;
    }

private:
    static sdk::QuotaWindow window(std::mt19937_64& draw, std::int64_t minutes) {
        sdk::QuotaWindow window;
        window.known = draw() % 5 != 0;
        window.used_percent = static_cast<double>(draw() % 10'000) / 100.0;
        window.window_minutes = minutes;
        window.resets_at = kNow + std::chrono::seconds(draw() % (minutes * 60));
        return window;
    }

    sdk::Labels labels_{{"tier", "pro"}};
    std::vector<std::string> ids_;
    std::vector<sdk::Candidate> candidates_;
};

sdk::RoutingStrategyPtr makeStrategy(const std::string& type, std::size_t pool_size) {
    static sdk::testing::FakeHost host;
    for (const auto& factory : plugins::strategy_builtin::builtinStrategyFactories()) {
        if (factory->name() != type) {
            continue;
        }
        sdk::testing::ConfigValues values;
        if (type == "weighted") {
            // Size the credit table for the pool, as an operator of a pool this large would.
            values.emplace_back("max_accounts",
                                std::to_string(std::max<std::size_t>(pool_size, 10'000)));
        }
        return factory->create(*sdk::testing::configFromSchema(factory->schema(), values), host);
    }
    return nullptr;
}

void orderOnce(benchmark::State& state, const std::string& type) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const Pool pool(count);
    const sdk::RoutingStrategyPtr strategy = makeStrategy(type, count);
    const sdk::PickContext context = pool.context();
    std::vector<std::uint32_t> out;
    out.reserve(kRingSize);
    for (auto _ : state) {
        out.clear();
        strategy->order(context, out);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.counters["candidates"] = static_cast<double>(count);
}

// The floor for any strategy that looks at every candidate: one pass reading three fields of
// each (the snapshot is an array of sdk::Candidate, 160 bytes apiece) and keeping the least.
void scanFloor(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const Pool pool(count);
    const sdk::PickContext context = pool.context();
    for (auto _ : state) {
        std::uint64_t best = UINT64_MAX;
        std::uint32_t best_index = 0;
        for (std::uint32_t i = 0; i < context.candidate_count; ++i) {
            const sdk::Candidate& candidate = context.candidates[i];
            const std::uint64_t key = std::uint64_t{candidate.tried} << 40 |
                                      std::uint64_t{candidate.cooldown_until > context.now} << 39 |
                                      candidate.in_flight;
            if (key < best) {
                best = key;
                best_index = i;
            }
        }
        benchmark::DoNotOptimize(best_index);
    }
}

}  // namespace

int main(int argc, char** argv) {
    for (const auto& factory : plugins::strategy_builtin::builtinStrategyFactories()) {
        const std::string type = factory->name();
        benchmark::RegisterBenchmark(("order/" + type).c_str(), orderOnce, type)
            ->Arg(10)
            ->Arg(1'000)
            ->Arg(100'000)
            ->Unit(benchmark::kNanosecond);
    }
    benchmark::RegisterBenchmark("floor/scan", scanFloor)
        ->Arg(10)
        ->Arg(1'000)
        ->Arg(100'000)
        ->Unit(benchmark::kNanosecond);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
