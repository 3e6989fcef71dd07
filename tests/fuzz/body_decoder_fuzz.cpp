#include <cstdint>
#include <string>

#include "core/server/body_decoder.hpp"

// The first byte picks the encoding; the limit keeps decompression bombs small.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    static const char* const kEncodings[] = {"", "zstd", "gzip", "deflate", "br"};
    const char* encoding = kEncodings[data[0] % 5];
    std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto decoded = sluice::core::server::decodeBody(encoding, std::move(body), 1 << 20);
    if (decoded.body.size() > (1 << 20)) {
        __builtin_trap();
    }
    return 0;
}
