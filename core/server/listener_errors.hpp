#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "sluice/sdk/logger.hpp"

namespace sluice::core::server {

/// Logs failed accepts (out of file descriptors, out of memory), which have nobody else to
/// tell. At most one line a second, which counts the failures it stood for, since a failing
/// accept repeats. Any thread.
class ListenerErrorLog final {
public:
    explicit ListenerErrorLog(sdk::Logger& logger) : logger_(logger) {}

    void report(const std::string& reason) noexcept;

private:
    sdk::Logger& logger_;
    std::atomic<std::int64_t> next_line_at_{0};  ///< steady-clock milliseconds
    std::atomic<std::uint64_t> unreported_{0};
};

}  // namespace sluice::core::server
