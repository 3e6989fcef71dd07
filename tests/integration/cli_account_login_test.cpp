// `sluice account login --pool P`: the ChatGPT device-code sign-in run by the CLI against the
// emulator's auth server, the user code approved (or denied) through the emulator's control API
// while the command waits, as a user would in a browser.
#include <Poco/Net/HTTPClientSession.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/request_recorder.hpp"
#include "tests/emulator/script_loader.hpp"
#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

class CliAccountLoginTest : public CliTest {
protected:
    CliAccountLoginTest()
        : emulator_(emulator::parseScript("server: { device_auth_interval: 1s }\n"
                                          "accounts:\n  - { id: acct-new, plan_type: pro }\n",
                                          static_cast<std::int64_t>(std::time(nullptr)))) {
        emulator_.start("127.0.0.1", 0);
        writeConfig(pipeline() + "upstream: { chatgpt_base_url: " + emulator_.baseUrl() +
                    ", auth_base_url: " + emulator_.baseUrl() +
                    " }\naccounts: { usage_probe_interval: 0s }\n");
    }
    ~CliAccountLoginTest() override { emulator_.stop(); }

    /// Runs `sluice account login ARGS...`, gives the user code it waits on `verdict` at the
    /// emulator, and returns the run and the code.
    std::pair<CliRun, std::string> login(std::vector<std::string> args, const std::string& verdict,
                                         const std::string& body = "") {
        args.insert(args.begin(), {"account", "login", "--pool", "team"});
        auto run = std::async(std::launch::async, [this, args] { return sluice(args); });
        Poco::Net::HTTPClientSession session("127.0.0.1", emulator_.port());
        std::string code;
        for (int i = 0; i < 500 && code.empty(); ++i) {
            std::string answer;
            exchange(session, "GET", "/__emulator/deviceauth", "", "", answer);
            const json pending = json::parse(answer, nullptr, false);
            if (pending.is_object() && !pending["pending"].empty()) {
                code = pending["pending"][0];
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
        std::string answer;
        EXPECT_EQ(exchange(session, "POST", "/__emulator/deviceauth/" + code + "/" + verdict, "",
                           body, answer),
                  200)
            << answer;
        return {run.get(), code};
    }

    emulator::EmulatorServer emulator_;
};

TEST_F(CliAccountLoginTest, PrintsWhereToSignInWaitsAndPrintsTheStoredAccount) {
    const auto [run, code] = login({"--label", "fresh"}, "approve", R"({"account":"acct-new"})");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("Sign in to ChatGPT at " + emulator_.baseUrl() +
                           "/codex/device and enter the code " + code),
              std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("signed in account fresh (acct_"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("plan pro) into pool team"), std::string::npos) << run.out;

    const CliRun listed = sluice({"account", "list", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    const json accounts = json::parse(listed.out);
    ASSERT_EQ(accounts.size(), 1U);
    EXPECT_EQ(accounts[0]["label"], "fresh");
    EXPECT_EQ(accounts[0]["chatgpt_account_id"], "acct-new");
    EXPECT_EQ(accounts[0]["status"], "active");
}

TEST_F(CliAccountLoginTest, JsonOutputIsTheAccountAlone) {
    const auto [run, code] = login({"--json"}, "approve", R"({"account":"acct-new"})");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(json::parse(run.out)["chatgpt_account_id"], "acct-new");
    EXPECT_NE(run.err.find(code), std::string::npos) << "the instructions go to stderr";
}

TEST_F(CliAccountLoginTest, DeniedSignInFailsWithItsTypedError) {
    const auto [run, code] = login({}, "deny");
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("sign_in_denied"), std::string::npos) << run.err;
    EXPECT_EQ(sluice({"account", "list", "--json"}).out, "[]\n");
}

TEST_F(CliAccountLoginTest, UnknownPoolFailsBeforeAskingForACode) {
    const CliRun run = sluice({"account", "login", "--pool", "absent"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("absent"), std::string::npos) << run.err;
    EXPECT_TRUE(emulator_.recorder().snapshot({}, "/api/accounts/deviceauth/usercode").empty());
}

}  // namespace
}  // namespace sluice::integration
