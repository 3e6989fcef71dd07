#include "core/observability/log_sink.hpp"

#include <Poco/AsyncChannel.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Message.h>
#include <Poco/SimpleFileChannel.h>
#include <Poco/Timestamp.h>

namespace sluice::core::observability {

namespace {

const char* levelName(sdk::LogLevel level) {
    switch (level) {
        case sdk::LogLevel::Debug:
            return "debug";
        case sdk::LogLevel::Info:
            return "info";
        case sdk::LogLevel::Warning:
            return "warning";
        case sdk::LogLevel::Error:
            return "error";
    }
    return "info";
}

Poco::Message::Priority priorityOf(sdk::LogLevel level) {
    switch (level) {
        case sdk::LogLevel::Debug:
            return Poco::Message::PRIO_DEBUG;
        case sdk::LogLevel::Info:
            return Poco::Message::PRIO_INFORMATION;
        case sdk::LogLevel::Warning:
            return Poco::Message::PRIO_WARNING;
        case sdk::LogLevel::Error:
            return Poco::Message::PRIO_ERROR;
    }
    return Poco::Message::PRIO_INFORMATION;
}

void appendValue(std::string& out, std::string_view value) {
    const bool plain =
        !value.empty() && value.find_first_of(" \"=\\\t\r\n") == std::string_view::npos;
    if (plain) {
        out.append(value);
        return;
    }
    out.push_back('"');
    for (const char c : value) {
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                out.push_back(c);
        }
    }
    out.push_back('"');
}

}  // namespace

sdk::LogLevel parseLogLevel(const std::string& text) {
    if (text == "debug") {
        return sdk::LogLevel::Debug;
    }
    if (text == "warning") {
        return sdk::LogLevel::Warning;
    }
    if (text == "error") {
        return sdk::LogLevel::Error;
    }
    return sdk::LogLevel::Info;
}

std::string formatLogLine(sdk::LogLevel level, std::string_view component, std::string_view event,
                          std::initializer_list<sdk::LogField> fields) {
    std::string line = "ts=";
    line += Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
    line += " level=";
    line += levelName(level);
    line += " component=";
    appendValue(line, component);
    line += " event=";
    appendValue(line, event);
    for (const sdk::LogField& field : fields) {
        line.push_back(' ');
        line.append(field.key);
        line.push_back('=');
        appendValue(line, field.value);
    }
    return line;
}

LogSink::LogSink(const std::string& file, sdk::LogLevel min_level) : min_level_(min_level) {
    Poco::AutoPtr<Poco::Channel> target;
    if (file.empty()) {
        target = new Poco::ConsoleChannel();
    } else {
        target = new Poco::SimpleFileChannel(file);
    }
    channel_ = new Poco::AsyncChannel(target);
    channel_->open();
}

LogSink::~LogSink() {
    channel_->close();
}

void LogSink::write(sdk::LogLevel level, const std::string& line) noexcept {
    try {
        channel_->log(Poco::Message("sluice", line, priorityOf(level)));
    } catch (...) {
        // A log line is never worth failing a request over.
    }
}

}  // namespace sluice::core::observability
