#include "sluice/sdk/testing/strategy_conformance.hpp"

#include <algorithm>
#include <set>

#include "strategy_conformance_support.hpp"

namespace sluice::sdk::testing {

using namespace strategy_conformance;

void PrintTo(const StrategyConformanceParam& param, std::ostream* out) {
    *out << param.name;
}

std::string strategyConformanceName(
    const ::testing::TestParamInfo<StrategyConformanceParam>& info) {
    return info.param.name;
}

void StrategyConformanceTest::SetUp() {
    ASSERT_TRUE(GetParam().factory) << "the param has no factory maker";
    factory_ = GetParam().factory();
    ASSERT_NE(factory_, nullptr) << "the factory maker returned nothing";
}

RoutingStrategyPtr StrategyConformanceTest::makeStrategy(HostServices& host) const {
    const auto config = configFromSchema(factory_->schema(), GetParam().config);
    return factory_->create(*config, host);
}

// As in the storage suite: a binary may pull this file in without instantiating the suite.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(StrategyConformanceTest);

int linkStrategyConformanceSuite() {
    return concurrencyTestsAnchor();
}

namespace {

bool isSnakeCase(const std::string& name) {
    if (name.empty() || name.front() < 'a' || name.front() > 'z' || name.back() == '_') {
        return false;
    }
    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

void expectDescribed(const ConfigSchema& schema, const std::string& where) {
    std::set<std::string> keys;
    for (const ConfigField& field : schema) {
        EXPECT_FALSE(field.key.empty()) << where << ": a field without a key";
        EXPECT_TRUE(keys.insert(field.key).second) << where << ": key '" << field.key << "' twice";
        EXPECT_FALSE(field.description.empty())
            << where << ": key '" << field.key << "' has no description";
        if (field.default_value && !field.choices.empty()) {
            EXPECT_NE(std::find(field.choices.begin(), field.choices.end(), *field.default_value),
                      field.choices.end())
                << where << ": the default of '" << field.key << "' is not one of its choices";
        }
        expectDescribed(field.fields, where + "." + field.key);
    }
}

TEST_P(StrategyConformanceTest, FactoryNamesDescribesAndCreates) {
    EXPECT_TRUE(isSnakeCase(factory().name())) << "'" << factory().name() << "' is not snake_case";
    EXPECT_FALSE(factory().description().empty());
    expectDescribed(factory().schema(), factory().name());
    EXPECT_NE(makeStrategy(), nullptr) << "create() returned nothing for the schema's defaults";
}

TEST_P(StrategyConformanceTest, EmptySnapshotOrZeroLimitGivesNothing) {
    const auto strategy = makeStrategy();
    const Snapshot empty(1, 0);
    std::vector<std::uint32_t> out;
    for (const bool seeded : {false, true}) {
        strategy->order(empty.context(3, seeded, 7), out);
        EXPECT_TRUE(out.empty()) << describe(out);
    }
    const Snapshot some(2, 5);
    strategy->order(some.context(0), out);
    EXPECT_TRUE(out.empty()) << "limit 0 gave " << describe(out);
}

TEST_P(StrategyConformanceTest, SingleCandidateIsOfferedUnlessTried) {
    const auto strategy = makeStrategy();
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        Snapshot one(seed, 1);
        for (const bool tried : {false, true}) {
            one.candidates()[0].tried = tried;
            std::vector<std::uint32_t> out;
            const PickContext context = one.context(3, seed % 2 == 0, seed);
            strategy->order(context, out);
            EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all)) << "snapshot " << seed;
        }
    }
}

TEST_P(StrategyConformanceTest, RandomSnapshotsGetValidOrders) {
    const auto strategy = makeStrategy();
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
        const Snapshot snapshot(seed, 2 + seed % 40);
        const std::size_t limit = 1 + seed % (snapshot.candidates().size() + 3);
        std::vector<std::uint32_t> out;
        const PickContext context = snapshot.context(limit, seed % 3 == 0, seed * 7919,
                                                     static_cast<std::uint32_t>(seed % 3));
        strategy->order(context, out);
        EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all))
            << "snapshot " << seed << ", limit " << limit;
    }
}

TEST_P(StrategyConformanceTest, LargeSnapshotsAndLimits) {
    const auto strategy = makeStrategy();
    const Snapshot thousand(11, 1000);
    const Snapshot hundred(12, 100);
    for (const std::size_t limit : {1, 3, 64, 65, 200, 1000}) {
        std::vector<std::uint32_t> out;
        const PickContext context = thousand.context(limit);
        strategy->order(context, out);
        EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all)) << "limit " << limit;
    }
    for (const std::size_t limit : {99, 100, 150}) {
        std::vector<std::uint32_t> out;
        const PickContext context = hundred.context(limit, true, 5);
        strategy->order(context, out);
        EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all)) << "limit " << limit;
    }
}

TEST_P(StrategyConformanceTest, AppendsAfterWhatOutAlreadyHolds) {
    const auto strategy = makeStrategy();
    for (const std::size_t limit : {2, 80}) {
        const Snapshot snapshot(21, 90);
        const std::vector<std::uint32_t> before{4'000'000'000U, 7, 7};
        std::vector<std::uint32_t> out = before;
        const PickContext context = snapshot.context(limit);
        strategy->order(context, out);
        ASSERT_GE(out.size(), before.size());
        EXPECT_TRUE(std::equal(before.begin(), before.end(), out.begin()))
            << "changed what was in `out`: " << describe(out);
        EXPECT_TRUE(validOrder(context, out, before.size(), GetParam().offers_all));
    }
}

TEST_P(StrategyConformanceTest, AllTriedGivesNothing) {
    const auto strategy = makeStrategy();
    Snapshot snapshot(31, 12);
    for (Candidate& candidate : snapshot.candidates()) {
        candidate.tried = true;
    }
    std::vector<std::uint32_t> out;
    strategy->order(snapshot.context(12, true, 3), out);
    EXPECT_TRUE(out.empty()) << describe(out);
}

TEST_P(StrategyConformanceTest, DemotedCandidatesComeAfterHealthyOnes) {
    const auto strategy = makeStrategy();
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        Snapshot snapshot(100 + seed, 12);
        // Half demoted, none tried: the whole ring is asked for, healthy accounts must lead.
        for (std::size_t i = 0; i < snapshot.candidates().size(); ++i) {
            Candidate& candidate = snapshot.candidates()[i];
            candidate.tried = false;
            candidate.cooldown_until =
                i % 2 == 0 ? snapshotTime() + std::chrono::seconds(60) : TimePoint{};
        }
        std::vector<std::uint32_t> out;
        const PickContext context = snapshot.context(12, seed % 2 == 0, seed);
        strategy->order(context, out);
        EXPECT_TRUE(validOrder(context, out, 0, GetParam().offers_all)) << "snapshot " << seed;
    }
}

}  // namespace

}  // namespace sluice::sdk::testing
