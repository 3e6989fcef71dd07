#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>

#include <string>

#include "sluice/sdk/logger.hpp"

namespace sluice::core::observability {

/// Where finished log lines go: standard error or a file, written by a background thread so a
/// slow terminal or disk never stalls a request thread.
class LogSink final {
public:
    /// `file` empty means standard error.
    LogSink(const std::string& file, sdk::LogLevel min_level);
    ~LogSink();
    LogSink(const LogSink&) = delete;
    LogSink& operator=(const LogSink&) = delete;

    bool enabled(sdk::LogLevel level) const noexcept { return level >= min_level_; }
    void write(sdk::LogLevel level, const std::string& line) noexcept;

private:
    Poco::AutoPtr<Poco::Channel> channel_;
    sdk::LogLevel min_level_;
};

sdk::LogLevel parseLogLevel(const std::string& text);

/// Formats one line: ts=... level=... component=... event=... key=value ...; values with
/// spaces, quotes or '=' are quoted, control characters escaped.
std::string formatLogLine(sdk::LogLevel level, std::string_view component, std::string_view event,
                          std::initializer_list<sdk::LogField> fields);

}  // namespace sluice::core::observability
