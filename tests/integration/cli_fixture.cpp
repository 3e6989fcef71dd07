#include "tests/integration/cli_fixture.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace sluice::integration {

int exchange(Poco::Net::HTTPClientSession& session, const std::string& method,
             const std::string& path, const std::string& key, const std::string& body,
             std::string& answer, const std::vector<std::pair<std::string, std::string>>& headers) {
    try {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!key.empty()) {
            request.set("Authorization", "Bearer " + key);
        }
        for (const auto& [name, value] : headers) {
            request.set(name, value);
        }
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        answer.clear();
        Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
        return static_cast<int>(response.getStatus());
    } catch (const Poco::Exception&) {
        session.reset();
        return 0;
    }
}

CliRun CliTest::sluice(std::vector<std::string> args, std::vector<std::string> wrapper) {
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

void CliTest::writeConfig(const std::string& body) {
    std::ofstream(config_) << body;
}

std::string CliTest::pipeline(const std::string& storage) {
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

std::string CliTest::fileBytes(const std::string& name) {
    std::ifstream in(dir_.path() / name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

bool ServeProcess::healthy() const {
    try {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
        const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        socket.sendBytes(request.data(), static_cast<int>(request.size()));
        char reply[16] = {};
        return socket.receiveBytes(reply, sizeof reply - 1) > 0 &&
               std::string(reply).find("200") != std::string::npos;
    } catch (const Poco::Exception&) {
        return false;
    }
}

std::string ServeProcess::errorsAfterExit() {
    handle->wait();
    Poco::PipeInputStream stream(*err);
    std::string text;
    Poco::StreamCopier::copyToString(stream, text);
    return text;
}

std::optional<int> ServeProcess::exitWithin(std::chrono::steady_clock::duration bound) {
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

Gateway::~Gateway() {
    if (!ended) {
        process.exitWithin(std::chrono::seconds(0));
    }
}

void Gateway::stop() {
    ::kill(static_cast<pid_t>(process.handle->id()), SIGTERM);
    ended = true;
    EXPECT_EQ(process.exitWithin(std::chrono::seconds(15)), std::optional<int>(0));
}

ServeProcess ServeTest::serve(const std::vector<std::string>& wrapper, const std::string& config,
                              const std::string& server_yaml) {
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

}  // namespace sluice::integration
