// The o200k_base tokenizer behind the count_tokens endpoints (Google Benchmark): loading the
// ranks once, and counting request-sized texts of several kinds. Needs the ranks file:
//   SLUICE_O200K_RANKS=build/dev/share/sluice/o200k_base.tiktoken build/dev/bin/sluice_o200k_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "sluice/plugins/common/o200k_tokenizer.hpp"

namespace {

using sluice::plugins::common::O200kTokenizer;

std::string ranksPath() {
    const char* path = std::getenv("SLUICE_O200K_RANKS");
    return path == nullptr ? std::string() : path;
}

const O200kTokenizer& tokenizer() {
    static const auto instance = O200kTokenizer::load(ranksPath());
    return *instance;
}

std::string repeated(const std::string& unit, std::size_t bytes) {
    std::string out;
    while (out.size() < bytes) {
        out += unit;
    }
    return out;
}

void countText(benchmark::State& state, const std::string& text) {
    const O200kTokenizer& counter = tokenizer();
    std::size_t tokens = 0;
    for (auto _ : state) {
        tokens = counter.count(text);
        benchmark::DoNotOptimize(tokens);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["tokens"] = static_cast<double>(tokens);
}

void BM_LoadRanks(benchmark::State& state) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(O200kTokenizer::load(ranksPath()));
    }
}
BENCHMARK(BM_LoadRanks)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CountProse(benchmark::State& state) {
    countText(state, repeated("The gateway pools many accounts behind stable keys; it routes each "
                              "request to the account with the most headroom. ",
                              64 << 10));
}
BENCHMARK(BM_CountProse);

void BM_CountCode(benchmark::State& state) {
    countText(state, repeated("    for (std::size_t i = 0; i < values.size(); ++i) {\n"
                              "        total += values[i] * 31 + 0x7f;\n    }\n",
                              64 << 10));
}
BENCHMARK(BM_CountCode);

void BM_CountCjk(benchmark::State& state) {
    countText(state,
              repeated("这是一个用于测试分词器的中文句子。日本語のテキストです。", 64 << 10));
}
BENCHMARK(BM_CountCjk);

void BM_CountBase64Blob(benchmark::State& state) {
    countText(state, repeated("aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQgZW5jb2RlZCB0ZXh0", 256 << 10));
}
BENCHMARK(BM_CountBase64Blob);

}  // namespace

BENCHMARK_MAIN();
