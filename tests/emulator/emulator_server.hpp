#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tests/emulator/account_registry.hpp"
#include "tests/emulator/script.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace sluice::emulator {

struct EmulatorContext;
class RequestRecorder;

/// The ChatGPT Codex backend emulator as an in-process server: tests construct it from a
/// script, start it on port 0 and point the gateway at baseUrl(). Start/stop from one thread;
/// the accessors are safe from any thread while it runs.
class EmulatorServer final {
public:
    /// `clock` (unix seconds) defaults to the system clock.
    explicit EmulatorServer(Script script, Clock clock = {});
    ~EmulatorServer();
    EmulatorServer(const EmulatorServer&) = delete;
    EmulatorServer& operator=(const EmulatorServer&) = delete;

    /// Binds and starts serving; throws on a bind failure. Port 0 picks a free port.
    void start(const std::string& host = "127.0.0.1", std::uint16_t port = 0);
    /// Ends scripted waits and open connections, then joins every handler thread.
    void stop();

    std::uint16_t port() const noexcept { return port_; }
    const std::string& host() const noexcept { return host_; }
    /// "http://127.0.0.1:PORT"
    std::string baseUrl() const;

    /// Direct access for in-process tests (the same state the control API changes).
    AccountRegistry& accounts();
    RequestRecorder& recorder();

private:
    std::unique_ptr<EmulatorContext> context_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::string host_;
    std::uint16_t port_ = 0;
};

}  // namespace sluice::emulator
