#pragma once

#include <initializer_list>
#include <string_view>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

enum class LogLevel { Debug, Info, Warning, Error };

/// One key=value pair of a log line. Metadata only: never a secret, a prompt or a body.
struct LogField {
    std::string_view key;
    std::string_view value;
};

/// Host logger bound to one component name. Host owns it; it outlives every plugin object.
/// Thread-safe; never blocks on I/O.
class SLUICE_SDK_API Logger {
public:
    virtual ~Logger() = default;

    virtual bool enabled(LogLevel level) const noexcept = 0;
    /// Writes one line: `event` is a short snake_case name, fields follow as key=value.
    virtual void log(LogLevel level, std::string_view event,
                     std::initializer_list<LogField> fields) noexcept = 0;

    void debug(std::string_view event, std::initializer_list<LogField> fields = {}) noexcept {
        log(LogLevel::Debug, event, fields);
    }
    void info(std::string_view event, std::initializer_list<LogField> fields = {}) noexcept {
        log(LogLevel::Info, event, fields);
    }
    void warn(std::string_view event, std::initializer_list<LogField> fields = {}) noexcept {
        log(LogLevel::Warning, event, fields);
    }
    void error(std::string_view event, std::initializer_list<LogField> fields = {}) noexcept {
        log(LogLevel::Error, event, fields);
    }
};

}  // namespace sluice::sdk
