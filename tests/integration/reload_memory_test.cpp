// SIGHUP reloads of a serving gateway under load give back what they replaced: RSS returns to
// within 5 MiB of its start, and only the generation in force is left held.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/script_loader.hpp"
#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

// Under AddressSanitizer freed memory waits in its quarantine (256 MiB by default), and
// ThreadSanitizer's allocator and shadow memory grow with the threads a reload starts, so RSS
// says nothing about what the gateway gave back there; the generations gauge still does.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

constexpr int kReloads = 100;
constexpr long kToleranceKiB = 5 * 1024;

// VmRSS of `pid` in KiB, from /proc/<pid>/status; -1 when unreadable.
long residentKiB(long pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

class ReloadMemoryTest : public ServeTest {
protected:
    void SetUp() override {
        upstream_.start("127.0.0.1", 0);
        std::ofstream(dir_.path() / "auth.json")
            << R"({"auth_mode":"chatgpt","tokens":{"access_token":"tok-a","refresh_token":"rt-a",)"
            << R"("account_id":"acct-a"}})";
        writeConfig(config());
        ASSERT_EQ(sluice({"account", "import", "--pool", "team", "--auth-json", "auth.json",
                          "--label", "a"})
                      .exit_code,
                  0);
        const CliRun created = sluice({"key", "create", "--pool", "team", "--name", "load"});
        ASSERT_EQ(created.exit_code, 0) << created.err;
        key_ = created.out.substr(0, created.out.find_last_not_of('\n') + 1);
        key_ = key_.substr(key_.find_last_of('\n') + 1);  // printed last
    }

    std::string config() {
        const std::string base = upstream_.baseUrl();
        return pipeline() + "upstream: { chatgpt_base_url: \"" + base + "\", auth_base_url: \"" +
               base +
               "\" }\n"
               "accounts: { usage_probe_interval: 0s }\n"
               "logging: { level: info, file: gateway.log }\n";
    }

    // "event=reloaded" lines in the gateway's log so far.
    int reloadsLogged() {
        const std::string log = fileBytes("gateway.log");
        int count = 0;
        for (auto at = log.find("event=reloaded"); at != std::string::npos;
             at = log.find("event=reloaded", at + 1)) {
            ++count;
        }
        return count;
    }

    // Sends SIGHUP and waits (bounded) until the gateway logged that reload.
    bool reload(long pid) {
        const int before = reloadsLogged();
        ::kill(static_cast<pid_t>(pid), SIGHUP);
        for (int i = 0; i < 1000; ++i) {
            if (reloadsLogged() > before) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

    // The sluice_config_generations gauge from /metrics; -1 when absent.
    double generationsHeld(std::uint16_t port) {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        std::string text;
        if (exchange(session, "GET", "/metrics", "", "", text) != 200) {
            return -1;
        }
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("sluice_config_generations ", 0) == 0) {
                return std::stod(line.substr(line.find(' ') + 1));
            }
        }
        return -1;
    }

    emulator::EmulatorServer upstream_{emulator::parseScript(
        "accounts:\n  - { id: acct-a, access_token: tok-a, refresh_token: rt-a }\n",
        std::time(nullptr))};
    std::string key_;
};

TEST_F(ReloadMemoryTest, AHundredReloadsUnderLoadGiveTheirMemoryBack) {
    ServeProcess process = serve({}, config());
    ASSERT_TRUE(process.healthy());
    const long pid = process.handle->id();

    std::atomic<bool> done{false};
    std::atomic<int> served{0};
    std::atomic<int> failed{0};
    const auto client = [&] {
        Poco::Net::HTTPClientSession session("127.0.0.1", process.port);
        session.setTimeout(Poco::Timespan(10, 0));
        std::string answer;
        while (!done) {
            const int status = exchange(session, "POST", "/backend-api/codex/responses", key_,
                                        R"({"model":"gpt-5.5","input":[],"stream":true})", answer);
            (status == 200 ? served : failed)++;
        }
    };
    std::thread first(client);
    std::thread second(client);
    // Warm up: traffic and a first few reloads reach the allocator's steady state.
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(reload(pid));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const long start = residentKiB(pid);
    const int served_before = served;

    int reloaded = 0;
    for (int i = 0; i < kReloads && reload(pid); ++i) {
        ++reloaded;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const long end = residentKiB(pid);
    done = true;
    first.join();
    second.join();

    RecordProperty("rss_start_kib", std::to_string(start));
    RecordProperty("rss_end_kib", std::to_string(end));
    RecordProperty("requests_served", std::to_string(served - served_before));
    EXPECT_EQ(reloaded, kReloads);
    EXPECT_GT(served - served_before, kReloads) << "the reloads ran under load";
    EXPECT_EQ(failed, 0) << "no request fails because of a reload";
    ASSERT_GT(start, 0);
    if (!kSanitized) {
        EXPECT_LE(end - start, kToleranceKiB) << "RSS went from " << start << " KiB to " << end;
    }
    EXPECT_EQ(generationsHeld(process.port), 1) << "every replaced generation was released";
    ::kill(static_cast<pid_t>(pid), SIGTERM);
    process.errorsAfterExit();
}

}  // namespace
}  // namespace sluice::integration
