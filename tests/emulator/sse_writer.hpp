#pragma once

#include <ostream>

#include "tests/emulator/event_sink.hpp"

namespace sluice::emulator {

/// Writes events as Server-Sent Events (`event:` + `data:` lines) and flushes after each, so a
/// client sees every event the moment it is produced. Not thread-safe; one per response.
class SseWriter final : public EventSink {
public:
    explicit SseWriter(std::ostream& out) : out_(out) {}

    bool emit(const EventJson& event) override;

private:
    std::ostream& out_;
    std::string buffer_;
};

}  // namespace sluice::emulator
