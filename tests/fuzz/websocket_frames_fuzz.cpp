// The websocket frame rules and message assembly on arbitrary frame sequences. Each frame is
// read from the input as [flags][mask bit + length][payload]; the sender alternates with the
// input's first byte. A rule broken or a fragment out of order must be a typed
// WebSocketViolation, and no assembled message may exceed the cap.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "core/dispatch/websocket_frames.hpp"

namespace {

using sluice::core::dispatch::FrameHeader;
using sluice::core::dispatch::FrameSender;
using sluice::core::dispatch::MessageAssembler;
using sluice::core::dispatch::WebSocketViolation;

constexpr std::size_t kCap = 256;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const FrameSender sender = data[0] % 2 == 0 ? FrameSender::Client : FrameSender::Server;
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    MessageAssembler assembler(kCap);
    try {
        while (input.size() >= 2) {
            const int flags = static_cast<unsigned char>(input[0]);
            const bool masked = (static_cast<unsigned char>(input[1]) & 0x80) != 0;
            const std::size_t length = std::min<std::size_t>(
                static_cast<unsigned char>(input[1]) & 0x7f, input.size() - 2);
            const std::string_view payload = input.substr(2, length);
            input.remove_prefix(2 + length);
            if (sluice::core::dispatch::frameFault(sender, FrameHeader{flags, masked, length})) {
                return 0;  // the socket closes with 1002 here
            }
            const auto message = assembler.add(flags, payload);
            if (message && message->payload.size() > kCap) {
                __builtin_trap();
            }
        }
    } catch (const WebSocketViolation& violation) {
        if (violation.closeCode() != 1002 && violation.closeCode() != 1009) {
            __builtin_trap();
        }
    }
    return 0;
}
