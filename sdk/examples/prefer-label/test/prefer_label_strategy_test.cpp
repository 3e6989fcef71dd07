// The strategy's contract, tested without a host: FakeConfig stands in for the validated
// pipeline and FakeHost for the host services.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "prefer_label_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::plugins::prefer_label {
namespace {

using sdk::testing::FakeConfig;
using Labels = std::vector<std::pair<std::string, std::string>>;

const Labels kPro{{"tier", "pro"}, {"region", "eu"}};
const Labels kFree{{"tier", "free"}};
const Labels kProAsRegion{{"region", "pro"}};

// Candidates 0..n-1 with the given labels (nullptr: an account without labels).
std::vector<sdk::Candidate> candidatesWith(const std::vector<const Labels*>& labels) {
    std::vector<sdk::Candidate> out(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out[i].labels = labels[i];
    }
    return out;
}

std::vector<std::uint32_t> order(sdk::RoutingStrategy& strategy,
                                 const std::vector<sdk::Candidate>& candidates, std::size_t limit) {
    sdk::PickContext context;
    context.candidates = candidates.data();
    context.candidate_count = candidates.size();
    context.limit = limit;
    std::vector<std::uint32_t> out;
    strategy.order(context, out);
    return out;
}

class PreferLabelTest : public ::testing::Test {
protected:
    sdk::RoutingStrategyPtr make(const std::string& label, const std::string& fallback = "true") {
        const auto config = FakeConfig::map(
            {{"label", FakeConfig::scalar(label)}, {"fallback", FakeConfig::scalar(fallback)}});
        return PreferLabelFactory().create(*config, host_);
    }

    sdk::testing::FakeHost host_;
};

TEST_F(PreferLabelTest, SchemaRequiresLabelAndDefaultsFallbackToTrue) {
    const sdk::ConfigSchema schema = PreferLabelFactory().schema();

    ASSERT_EQ(schema.size(), 2u);
    EXPECT_EQ(schema[0].key, "label");
    EXPECT_EQ(schema[0].type, sdk::FieldType::String);
    EXPECT_TRUE(schema[0].required);
    EXPECT_EQ(schema[1].key, "fallback");
    EXPECT_EQ(schema[1].type, sdk::FieldType::Boolean);
    EXPECT_EQ(schema[1].default_value, "true");
}

TEST_F(PreferLabelTest, LabelWithoutKeyValueIsAConfigErrorNamingThePath) {
    for (const std::string bad : {"tier", "=pro"}) {
        try {
            make(bad);
            FAIL() << "accepted label '" << bad << "'";
        } catch (const sdk::ConfigError& e) {
            EXPECT_EQ(e.path(), "label");
            EXPECT_EQ(e.message(), "expected key=value, e.g. tier=pro; got '" + bad + "'");
        }
    }
}

TEST_F(PreferLabelTest, LabelledAccountsComeFirstAndBothGroupsRotate) {
    const auto strategy = make("tier=pro");
    const auto candidates = candidatesWith({&kFree, &kPro, nullptr, &kPro, &kProAsRegion});

    EXPECT_EQ(order(*strategy, candidates, 5), (std::vector<std::uint32_t>{1, 3, 0, 2, 4}));
    EXPECT_EQ(order(*strategy, candidates, 5), (std::vector<std::uint32_t>{3, 1, 2, 4, 0}));
    EXPECT_EQ(order(*strategy, candidates, 5), (std::vector<std::uint32_t>{1, 3, 4, 0, 2}));
}

TEST_F(PreferLabelTest, NeverReturnsATriedAccount) {
    const auto strategy = make("tier=pro");
    auto candidates = candidatesWith({&kPro, &kFree, &kPro});
    candidates[0].tried = true;
    candidates[1].tried = true;

    EXPECT_EQ(order(*strategy, candidates, 3), (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(order(*strategy, candidates, 3), (std::vector<std::uint32_t>{2}));
}

TEST_F(PreferLabelTest, AccountsCoolingDownFollowEveryHealthyOne) {
    const auto strategy = make("tier=pro");
    auto candidates = candidatesWith({&kPro, &kFree, &kPro});
    candidates[0].cooldown_until = sdk::TimePoint(std::chrono::seconds(60));

    EXPECT_EQ(order(*strategy, candidates, 3), (std::vector<std::uint32_t>{2, 1, 0}));
    EXPECT_EQ(order(*strategy, candidates, 2), (std::vector<std::uint32_t>{2, 1}));
}

TEST_F(PreferLabelTest, HonoursTheLimitAcrossGroups) {
    const auto strategy = make("tier=pro");
    const auto candidates = candidatesWith({&kFree, &kPro, &kFree});

    EXPECT_EQ(order(*strategy, candidates, 2), (std::vector<std::uint32_t>{1, 0}));
    EXPECT_EQ(order(*strategy, candidates, 1), (std::vector<std::uint32_t>{1}));
    EXPECT_TRUE(order(*strategy, candidates, 0).empty());
}

TEST_F(PreferLabelTest, WithoutFallbackOnlyLabelledAccountsAreOffered) {
    const auto strategy = make("tier=pro", "false");
    const auto candidates = candidatesWith({&kFree, &kPro, nullptr});

    EXPECT_EQ(order(*strategy, candidates, 3), (std::vector<std::uint32_t>{1}));
    EXPECT_TRUE(order(*strategy, candidatesWith({&kFree, nullptr}), 3).empty());
}

TEST_F(PreferLabelTest, LogsItsConfigurationOnce) {
    make("tier=pro");

    const auto lines = host_.lines();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].component, "strategy.prefer_label");
    EXPECT_EQ(lines[0].event, "strategy_configured");
}

}  // namespace
}  // namespace sluice::plugins::prefer_label
