#include "tests/emulator/sse_writer.hpp"

namespace sluice::emulator {

bool SseWriter::emit(const EventJson& event) {
    // One write per event: a chunk on the wire per event, and no partial event left behind in
    // the stream buffer when the peer stalls.
    buffer_.clear();
    buffer_ += "event: ";
    if (const auto type = event.find("type"); type != event.end() && type->is_string()) {
        buffer_ += type->get_ref<const std::string&>();
    } else {
        buffer_ += "message";
    }
    buffer_ += "\ndata: ";
    buffer_ += event.dump();
    buffer_ += "\n\n";
    try {
        out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        out_.flush();
    } catch (const std::exception&) {
        return false;
    }
    return out_.good();
}

}  // namespace sluice::emulator
