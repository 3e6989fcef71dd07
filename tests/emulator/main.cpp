// sluice-emulator: the ChatGPT Codex backend emulator as a process, for e2e tests and
// benchmarks. Prints "listening HOST:PORT" as its first stdout line so a harness that asked
// for port 0 learns the real one; exits cleanly on SIGTERM or SIGINT.

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/script_loader.hpp"

namespace {

struct Arguments {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string script;
    std::optional<int> threads;
    bool log_requests = false;
};

constexpr std::string_view kUsage =
    "usage: sluice-emulator [--host 127.0.0.1] [--port 0] [--script FILE] [--threads N] "
    "[--log-requests]\n";

std::optional<Arguments> parseArguments(int argc, char** argv) {
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc)
                return std::nullopt;
            return std::string(argv[++i]);
        };
        if (flag == "--log-requests") {
            args.log_requests = true;
            continue;
        }
        if (flag == "--help" || flag == "-h")
            return std::nullopt;
        const auto text = value();
        if (!text)
            return std::nullopt;
        try {
            if (flag == "--host") {
                args.host = *text;
            } else if (flag == "--port") {
                args.port = std::stoi(*text);
                if (args.port < 0 || args.port > 65535)
                    return std::nullopt;
            } else if (flag == "--script") {
                args.script = *text;
            } else if (flag == "--threads") {
                args.threads = std::stoi(*text);
                if (*args.threads < 2)
                    return std::nullopt;
            } else {
                return std::nullopt;
            }
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    const auto args = parseArguments(argc, argv);
    if (!args) {
        std::fputs(kUsage.data(), stderr);
        return 2;
    }
    // Block the termination signals before any thread starts so every thread inherits the mask
    // and sigwait below is the only place they arrive.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    try {
        auto script = args->script.empty() ? sluice::emulator::Script{}
                                           : sluice::emulator::loadScriptFile(args->script, now);
        if (args->threads)
            script.server.threads = *args->threads;
        if (args->log_requests)
            script.server.log_requests = true;
        sluice::emulator::EmulatorServer server(std::move(script));
        server.start(args->host, static_cast<std::uint16_t>(args->port));
        std::printf("listening %s:%u\n", server.host().c_str(),
                    static_cast<unsigned>(server.port()));
        std::fflush(stdout);
        int received = 0;
        sigwait(&signals, &received);
        server.stop();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sluice-emulator: %s\n", e.what());
        return 1;
    }
    return 0;
}
