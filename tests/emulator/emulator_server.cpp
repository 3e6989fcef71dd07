#include "tests/emulator/emulator_server.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <csignal>

#include "tests/emulator/emulator_context.hpp"
#include "tests/emulator/request_router.hpp"

namespace sluice::emulator {
namespace {

std::int64_t systemNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

EmulatorServer::EmulatorServer(Script script, Clock clock)
    : context_(std::make_unique<EmulatorContext>(std::move(script),
                                                 clock ? std::move(clock) : Clock(&systemNow))) {
    context_->accounts.reset(context_->script.accounts);
    if (context_->script.models)
        context_->catalog.set(*context_->script.models);
}

EmulatorServer::~EmulatorServer() {
    stop();
}

void EmulatorServer::start(const std::string& host, std::uint16_t port) {
    if (server_)
        return;
    // A client that disconnects mid-stream must cost a failed write, not the whole process.
    std::signal(SIGPIPE, SIG_IGN);
    context_->stop.rearm();
    const int threads = context_->script.server.threads;
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(host, port), 256);
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited: benchmarks reuse connections for hours
    params->setKeepAliveTimeout(Poco::Timespan(30, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    params->setServerName("sluice-emulator");
    pool_ = std::make_unique<Poco::ThreadPool>(2, threads, 60);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new RequestRouter(*context_), *pool_, socket,
                                                      params);
    server_->start();
    host_ = host;
    port_ = socket.address().port();
}

void EmulatorServer::stop() {
    if (!server_)
        return;
    context_->stop.stop();
    server_->stopAll(true);
    pool_->joinAll();
    server_.reset();
    pool_.reset();
}

std::string EmulatorServer::baseUrl() const {
    return "http://" + host_ + ":" + std::to_string(port_);
}

AccountRegistry& EmulatorServer::accounts() {
    return context_->accounts;
}

RequestRecorder& EmulatorServer::recorder() {
    return context_->recorder;
}

}  // namespace sluice::emulator
