#include <cstdint>
#include <string>
#include <string_view>

#include "core/upstream/chunked_decoder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    sluice::core::upstream::ChunkedDecoder whole;
    sluice::core::upstream::ChunkedDecoder split;
    std::string whole_out;
    std::string split_out;
    const bool whole_ok = whole.feed(input, whole_out);
    bool split_ok = true;
    for (std::size_t i = 0; i < input.size() && split_ok; ++i) {
        split_ok = split.feed(input.substr(i, 1), split_out);
    }
    // Decoding must not depend on how the bytes arrived.
    if (whole_ok != split_ok || (whole_ok && whole_out != split_out)) {
        __builtin_trap();
    }
    return 0;
}
