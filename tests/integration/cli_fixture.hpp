#pragma once

// The `sluice` binary run as an operator would: one-shot commands, and `sluice serve` in the
// background. Shared by the CLI, signal and reload tests.

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/security/encoding.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::integration {

struct CliRun {
    int exit_code = 0;
    std::string out;
    std::string err;
};

/// One exchange with a gateway on a keep-alive session, with `key` as the bearer when given and
/// `headers` added: the status, or 0 when the socket failed (the session is then reset).
int exchange(Poco::Net::HTTPClientSession& session, const std::string& method,
             const std::string& path, const std::string& key, const std::string& body,
             std::string& answer,
             const std::vector<std::pair<std::string, std::string>>& headers = {});

class CliTest : public ::testing::Test {
protected:
    /// Runs the binary, behind `wrapper` (a command and its arguments) when one is given.
    CliRun sluice(std::vector<std::string> args, std::vector<std::string> wrapper = {});
    void writeConfig(const std::string& body);
    /// A pipeline on `storage` with strategy-builtin and route-codex, pool "team".
    std::string pipeline(const std::string& storage = "sqlite");
    std::string fileBytes(const std::string& name);

    sdk::testing::TempDirectory dir_{"sluice-cli-it"};
    std::filesystem::path config_ = dir_.path() / "sluice.yaml";
    std::string secret_ = core::security::toBase64(core::security::randomBytes(32));
};

/// `sluice serve` in the background on a free port, with its standard error kept.
struct ServeProcess {
    std::uint16_t port = 0;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::unique_ptr<Poco::Pipe> err;

    bool healthy() const;
    /// The exit code once the process ends within `bound`; past it the process is killed and
    /// the answer is none, so a gateway that does not stop never outlives its test.
    std::optional<int> exitWithin(std::chrono::steady_clock::duration bound);
    /// Waits for the process to end and returns what it wrote to standard error.
    std::string errorsAfterExit();
};

/// A `sluice serve` that never outlives its test: killed at scope exit if still running.
struct Gateway {
    ServeProcess process;
    bool ended = false;

    ~Gateway();
    /// SIGTERM, and a clean exit within 15 s (a test failure otherwise).
    void stop();
};

class ServeTest : public CliTest {
protected:
    /// Starts `sluice serve`, behind `wrapper` when given, and waits (up to 10 s) until it answers.
    /// `config` replaces the default pipeline; its `server:` section is added here, with
    /// `server_yaml`'s flow entries (e.g. "drain_timeout: 1s") when given.
    ServeProcess serve(const std::vector<std::string>& wrapper = {}, const std::string& config = "",
                       const std::string& server_yaml = "");
};

}  // namespace sluice::integration
