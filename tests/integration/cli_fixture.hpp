#pragma once
// The `sluice` binary as operators run it: one-shot commands, and `sluice serve` in the
// background. SLUICE_BIN and SLUICE_PLUGIN_DIR come from the test target.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/security/encoding.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::integration {

struct CliRun {
    int exit_code = 0;
    std::string out;
    std::string err;
};

class CliTest : public ::testing::Test {
protected:
    /// Runs the binary, behind `wrapper` (a command and its arguments) when one is given.
    CliRun sluice(std::vector<std::string> args, std::vector<std::string> wrapper = {}) {
        args.push_back("--config");
        args.push_back(config_.string());
        std::string command = SLUICE_BIN;
        if (!wrapper.empty()) {
            command = wrapper.front();
            args.insert(args.begin(), SLUICE_BIN);
            args.insert(args.begin(), wrapper.begin() + 1, wrapper.end());
        }
        Poco::Pipe out;
        Poco::Pipe err;
        Poco::Process::Env env{{"SLUICE_SECRET_KEY", secret_}};
        Poco::ProcessHandle handle =
            Poco::Process::launch(command, args, dir_.path().string(), nullptr, &out, &err, env);
        Poco::PipeInputStream out_stream(out);
        Poco::PipeInputStream err_stream(err);
        CliRun run;
        Poco::StreamCopier::copyToString(out_stream, run.out);
        Poco::StreamCopier::copyToString(err_stream, run.err);
        run.exit_code = handle.wait();
        return run;
    }

    void writeConfig(const std::string& body) { std::ofstream(config_) << body; }

    std::string pipeline(const std::string& storage = "sqlite") {
        return "version: 1\n"
               "plugins:\n"
               "  paths: [\"" SLUICE_PLUGIN_DIR
               "\"]\n"
               "  load: [storage-" +
               storage +
               ", strategy-builtin, route-codex]\n"
               "storage: { type: " +
               storage + ", config: { " + (storage == "sqlite" ? "path: sluice.db" : "") +
               " } }\n"
               "secrets: { key#env: SLUICE_SECRET_KEY }\n"
               "strategies: { rotate: { type: round_robin } }\n"
               "pools: { team: { strategy: rotate } }\n"
               "routes: [ { family: codex_backend } ]\n";
    }

    std::string fileBytes(const std::string& name) {
        std::ifstream in(dir_.path() / name, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    }

    sdk::testing::TempDirectory dir_{"sluice-cli-it"};
    std::filesystem::path config_ = dir_.path() / "sluice.yaml";
    std::string secret_ = core::security::toBase64(core::security::randomBytes(32));
};

// `sluice serve` in the background on a free port, with its standard error kept.
struct ServeProcess {
    std::uint16_t port = 0;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::unique_ptr<Poco::Pipe> err;

    bool healthy() const {
        try {
            Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
            const std::string request =
                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            socket.sendBytes(request.data(), static_cast<int>(request.size()));
            char reply[16] = {};
            return socket.receiveBytes(reply, sizeof reply - 1) > 0 &&
                   std::string(reply).find("200") != std::string::npos;
        } catch (const Poco::Exception&) {
            return false;
        }
    }

    /// The exit code once the process ends within `bound`; past it the process is killed and
    /// the answer is none, so a gateway that does not stop never outlives its test.
    std::optional<int> exitWithin(std::chrono::steady_clock::duration bound) {
        const auto deadline = std::chrono::steady_clock::now() + bound;
        while (std::chrono::steady_clock::now() < deadline) {
            if (const int code = handle->tryWait(); code != -1) {
                return code;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ::kill(static_cast<pid_t>(handle->id()), SIGKILL);
        handle->wait();
        return std::nullopt;
    }

    /// Waits for the process to end and returns what it wrote to standard error.
    std::string errorsAfterExit() {
        handle->wait();
        Poco::PipeInputStream stream(*err);
        std::string text;
        Poco::StreamCopier::copyToString(stream, text);
        return text;
    }
};

class ServeTest : public CliTest {
protected:
    /// Starts `sluice serve`, behind `wrapper` when given, and waits (up to 10 s) until it answers.
    /// `config` replaces the default pipeline; its `server:` section is added here, with
    /// `server_yaml`'s flow entries (e.g. "drain_timeout: 1s") when given.
    ServeProcess serve(const std::vector<std::string>& wrapper = {}, const std::string& config = "",
                       const std::string& server_yaml = "") {
        ServeProcess process;
        {
            Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
            process.port = probe.address().port();
        }
        writeConfig((config.empty() ? pipeline() : config) +
                    "server: { listen: \"127.0.0.1:" + std::to_string(process.port) + "\"" +
                    (server_yaml.empty() ? "" : ", " + server_yaml) + " }\n");
        std::vector<std::string> args(wrapper.empty() ? wrapper.begin() : wrapper.begin() + 1,
                                      wrapper.end());
        if (!wrapper.empty()) {
            args.push_back(SLUICE_BIN);
        }
        args.insert(args.end(), {"serve", "--config", config_.string()});
        process.err = std::make_unique<Poco::Pipe>();
        Poco::Process::Env env{{"SLUICE_SECRET_KEY", secret_}};
        process.handle = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(wrapper.empty() ? SLUICE_BIN : wrapper.front(), args,
                                  dir_.path().string(), nullptr, nullptr, process.err.get(), env));
        for (int i = 0; i < 200 && !process.healthy(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return process;
    }
};

}  // namespace sluice::integration
