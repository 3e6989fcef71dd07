// `sluice serve` stopped as an operator or a service manager stops it (issue 22 item 9): SIGTERM
// under an open stream lets it run for server.drain_timeout, then ends it with the surface's
// typed error, and the process exits 0 within a bound. The real binary against the emulator,
// on 127.0.0.1.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/script_loader.hpp"
#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

constexpr auto kDrain = std::chrono::seconds(1);
constexpr auto kExitBound = std::chrono::seconds(15);

class ServeSignalTest : public ServeTest {
protected:
    ServeSignalTest()
        : emulator_(emulator::parseScript(
              // A stream of about 30 s unless cut.
              "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: "
              "{ mode: normal, deltas: 150, event_delay: 200ms } }\n",
              static_cast<std::int64_t>(std::time(nullptr)))) {
        emulator_.start("127.0.0.1", 0);
    }
    ~ServeSignalTest() override { emulator_.stop(); }

    /// The default pipeline against the emulator, with account acct-a in pool team; returns a
    /// Pool key for it.
    std::string prepare() {
        config_text_ = pipeline() + "upstream: { chatgpt_base_url: " + emulator_.baseUrl() +
                       ", auth_base_url: " + emulator_.baseUrl() +
                       " }\naccounts: { usage_probe_interval: 0s }\n";
        writeConfig(config_text_);
        std::ofstream(dir_.path() / "acct-a.json")
            << R"({"tokens":{"access_token":"tok-a","refresh_token":"rt-a","account_id":"acct-a"}})";
        const CliRun imported = sluice(
            {"account", "import", "--pool", "team", "--auth-json", "acct-a.json", "--label", "a"});
        EXPECT_EQ(imported.exit_code, 0) << imported.err;
        const CliRun key = sluice({"key", "create", "--pool", "team", "--name", "it", "--json"});
        EXPECT_EQ(key.exit_code, 0) << key.err;
        return json::parse(key.out)["key"].get<std::string>();
    }

    emulator::EmulatorServer emulator_;
    std::string config_text_;
};

TEST_F(ServeSignalTest, SigtermEndsAnOpenStreamWithResponseFailedAfterTheDrainAndExitsZero) {
    const std::string key = prepare();
    ServeProcess process = serve({}, config_text_, "drain_timeout: 1s");
    ASSERT_TRUE(process.healthy());

    Poco::Net::HTTPClientSession session("127.0.0.1", process.port);
    session.setTimeout(Poco::Timespan(30, 0));
    const std::string body =
        R"({"model":"gpt-5.5","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                   "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + key);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& stream = session.receiveResponse(response);
    ASSERT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    // The stream is open once its first delta arrived.
    std::string line;
    while (std::getline(stream, line) && line != "event: response.output_text.delta") {
    }
    ASSERT_EQ(line, "event: response.output_text.delta");

    const auto signalled = std::chrono::steady_clock::now();
    ::kill(static_cast<pid_t>(process.handle->id()), SIGTERM);
    std::string rest;
    try {
        Poco::StreamCopier::copyToString(stream, rest);
    } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "the stream was cut, not ended: " << e.displayText();
    }
    const auto ended = std::chrono::steady_clock::now() - signalled;
    const std::optional<int> exit_code = process.exitWithin(kExitBound);

    // Open for the drain time, then ended by the gateway, not by the emulator's last event.
    EXPECT_GE(ended, kDrain - std::chrono::milliseconds(100));
    EXPECT_LT(ended, kExitBound);
    EXPECT_EQ(rest.find("response.completed"), std::string::npos) << rest;
    const auto failed = rest.rfind("event: response.failed\ndata: ");
    ASSERT_NE(failed, std::string::npos) << rest;
    const auto data = failed + 29;
    const json event = json::parse(rest.substr(data, rest.find('\n', data) - data));
    EXPECT_EQ(event["response"]["error"]["code"], "server_shutting_down") << event;
    EXPECT_EQ(event["response"]["status"], "failed");
    ASSERT_TRUE(exit_code.has_value())
        << "still running " << kExitBound.count() << " s after SIGTERM";
    EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace sluice::integration
