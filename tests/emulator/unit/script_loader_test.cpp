#include "tests/emulator/script_loader.hpp"

#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

std::string errorOf(const std::string& yaml) {
    try {
        parseScript(yaml, kNow);
    } catch (const ScriptError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ScriptLoaderTest, DefaultScriptLoads) {
    const auto script = loadScriptFile(SLUICE_EMULATOR_SCRIPTS_DIR "/default.yaml", kNow);
    ASSERT_GE(script.accounts.size(), 4u);
    const auto& plus = script.accounts[0];
    EXPECT_EQ(plus.id, "acct-plus");
    EXPECT_TRUE(plus.websocket);
    ASSERT_TRUE(plus.rate_limits.primary);
    EXPECT_EQ(plus.rate_limits.primary->reset_at, kNow + 3600);
    EXPECT_EQ(script.accounts[1].behaviour.mode, Mode::kToolCall);
}

TEST(ScriptLoaderTest, ParsesBehaviourDurationsAndFaults) {
    const auto script = parseScript(R"(
server: { threads: 8, recording_capacity: 5 }
accounts:
  - id: a
    behaviour: { mode: slow, delay: 2s, event_delay: 15ms, text: hi, deltas: 4 }
    faults:
      - { mode: cut, cut_after: 2, count: 3 }
    oauth: { mode: error, status: 502, delay: 1m, access_token_ttl: 2h }
)",
                                    kNow);
    EXPECT_EQ(script.server.threads, 8);
    const auto& account = script.accounts.at(0);
    EXPECT_EQ(account.behaviour.mode, Mode::kSlow);
    EXPECT_EQ(account.behaviour.delay, std::chrono::seconds(2));
    EXPECT_EQ(account.behaviour.event_delay, std::chrono::milliseconds(15));
    ASSERT_EQ(account.faults.size(), 1u);
    EXPECT_EQ(account.faults[0].count, 3);
    EXPECT_EQ(account.faults[0].behaviour.mode, Mode::kCut);
    EXPECT_EQ(account.faults[0].behaviour.text, "hi");  // inherited from the steady behaviour
    EXPECT_EQ(account.oauth.mode, OAuthMode::kError);
    EXPECT_EQ(account.oauth.access_token_ttl, std::chrono::hours(2));
}

TEST(ScriptLoaderTest, ErrorsNameTheYamlPath) {
    EXPECT_EQ(errorOf("accounts:\n  - { id: a, behaviour: { mood: happy } }"),
              "accounts[0].behaviour.mood: unknown key");
    EXPECT_EQ(errorOf("accounts:\n  - { id: a, behaviour: { delay: 500 } }"),
              "accounts[0].behaviour.delay: duration '500' needs a unit (ms, s, m, h, d)");
    EXPECT_EQ(errorOf("accounts:\n  - { id: a, behaviour: { mode: sideways } }"),
              "accounts[0].behaviour.mode: unknown mode 'sideways'");
    EXPECT_EQ(errorOf("accounts:\n  - { plan_type: plus }"), "accounts[0].id: is required");
    EXPECT_EQ(errorOf("accounts:\n  - { id: a }\n  - { id: a }"),
              "accounts[1].id: duplicate account id 'a'");
    EXPECT_EQ(errorOf("acounts: []"), "acounts: unknown key");
}

TEST(ScriptLoaderTest, ThreadsAllowThousandsOfConcurrentStreams) {
    // The benchmarks hold 5,000 slow streams open, each on its own handler thread.
    EXPECT_EQ(parseScript("server: { threads: 6000 }", kNow).server.threads, 6000);
    EXPECT_EQ(errorOf("server: { threads: 70000 }"), "server.threads: must be between 2 and 65536");
}

class DefaultScriptTest : public EmulatorTest {};

TEST_F(DefaultScriptTest, FlakyAccountFailsTwiceThenRecovers) {
    server_ = std::make_unique<EmulatorServer>(
        loadScriptFile(SLUICE_EMULATOR_SCRIPTS_DIR "/default.yaml", std::time(nullptr)));
    server_->start("127.0.0.1", 0);
    EXPECT_EQ(postResponses(turnBody(), "acct-flaky", "tok-flaky").status, 503);
    EXPECT_EQ(postResponses(turnBody(), "acct-flaky", "tok-flaky").status, 503);
    EXPECT_EQ(postResponses(turnBody(), "acct-flaky", "tok-flaky").status, 200);
    EXPECT_EQ(postResponses(turnBody(), "acct-limited", "tok-limited").status, 429);
}

}  // namespace
}  // namespace sluice::emulator::testing
