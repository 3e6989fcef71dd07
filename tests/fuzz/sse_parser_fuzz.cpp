#include <cstdint>
#include <string_view>

#include "core/upstream/sse_parser.hpp"

// The first byte picks the read size, so one input also exercises events split across reads.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t step = static_cast<std::size_t>(data[0] % 64) + 1;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    sluice::core::upstream::SseParser parser;
    sluice::sdk::SseEvent event;
    for (std::size_t at = 0; at < input.size(); at += step) {
        parser.feed(input.substr(at, step));
        while (parser.take(event)) {
            if (event.raw.size() < event.data.size() / 2) {
                __builtin_trap();  // an event's bytes always contain its data
            }
        }
    }
    return 0;
}
