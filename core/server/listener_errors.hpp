#pragma once

#include <Poco/ErrorHandler.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "sluice/sdk/logger.hpp"

namespace sluice::core::server {

/// Logs what Poco's server threads cannot hand to anyone else, above all failed accepts (out of
/// file descriptors, out of memory): without it they vanish. At most one line a second, which
/// counts the failures it stood for, since a failing accept repeats in a tight loop. Installed
/// as Poco's process-wide error handler while the listener runs. Any thread.
class ListenerErrorLog final : public Poco::ErrorHandler {
public:
    explicit ListenerErrorLog(sdk::Logger& logger) : logger_(logger) {}

    void exception(const Poco::Exception& error) override { report(error.displayText()); }
    void exception(const std::exception& error) override { report(error.what()); }
    void exception() override { report("unknown error"); }

private:
    void report(const std::string& reason) noexcept;

    sdk::Logger& logger_;
    std::atomic<std::int64_t> next_line_at_{0};  ///< steady-clock milliseconds
    std::atomic<std::uint64_t> unreported_{0};
};

}  // namespace sluice::core::server
