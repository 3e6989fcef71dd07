#include "exec_spec.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;

class ExecSpecTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_ = parseRunnerConfig(*sdk::testing::configFromSchema(runnerConfigSchema()), {});
        session_.dir = "/state/sessions/session-1";
        session_.meta = {{"session_id", "session-1"}, {"codex_session_id", nullptr}};
        request_.prompt = "the prompt";
    }
    bool hasEnv(const ExecSpec& spec, const std::string& entry) {
        return std::find(spec.child.env.begin(), spec.child.env.end(), entry) !=
               spec.child.env.end();
    }
    RunnerConfig config_;
    SessionView session_;
    RunRequest request_;
};

TEST_F(ExecSpecTest, ANewSessionRunsExecWithThePromptOnStdin) {
    const ExecSpec spec = execSpec(config_, request_, session_, "/work", "tok", {});
    EXPECT_EQ(spec.child.argv, (std::vector<std::string>{"codex", "exec", "--json", "--color",
                                                         "never", "--skip-git-repo-check", "-"}));
    EXPECT_EQ(spec.child.cwd, "/work");
    EXPECT_EQ(spec.stdin_text, "the prompt");
    EXPECT_TRUE(hasEnv(spec, "CODEX_HOME=/state/sessions/session-1/codex-home"));
    EXPECT_TRUE(hasEnv(spec, std::string(kCredentialVariable) + "=tok"));
    for (const std::string& arg : spec.child.argv) {
        EXPECT_EQ(arg.find("tok"), std::string::npos) << "no credential on the command line";
    }
}

TEST_F(ExecSpecTest, AKnownThreadIsResumedAndOptionsComeBeforeIt) {
    session_.meta["codex_session_id"] = "thread-9";
    config_.sandbox = "bypass";
    config_.json_flag = "--experimental-json";
    config_.extra_args = {"--foo"};
    request_.model = "gpt-5.5";
    request_.env = {{"MY_VAR", "v"}};
    const ExecSpec spec = execSpec(config_, request_, session_, "/work", "tok", {});
    EXPECT_EQ(spec.child.argv,
              (std::vector<std::string>{"codex", "exec", "--experimental-json", "--color", "never",
                                        "--skip-git-repo-check",
                                        "--dangerously-bypass-approvals-and-sandbox", "-m",
                                        "gpt-5.5", "--foo", "resume", "thread-9", "-"}));
    EXPECT_TRUE(hasEnv(spec, "MY_VAR=v"));
}

TEST_F(ExecSpecTest, TheGatewaysSecretsStayBehindAndLoopbackBypassesProxies) {
    ::setenv("SLUICE_SECRET_KEY", "never-in-a-child", 1);
    const ExecSpec spec = execSpec(config_, request_, session_, "/work", "tok", {});
    for (const std::string& entry : spec.child.env) {
        EXPECT_EQ(entry.find("never-in-a-child"), std::string::npos);
    }
    const auto no_proxy =
        std::find_if(spec.child.env.begin(), spec.child.env.end(),
                     [](const std::string& e) { return e.rfind("NO_PROXY=", 0) == 0; });
    ASSERT_NE(no_proxy, spec.child.env.end());
    EXPECT_NE(no_proxy->find("127.0.0.1"), std::string::npos);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
