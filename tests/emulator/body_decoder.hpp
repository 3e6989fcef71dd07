#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::emulator {

struct DecodedBody {
    bool ok = false;
    int status = 200;   ///< 400 (corrupt), 413 (too large) or 415 (unknown encoding) on failure
    std::string error;  ///< why, when !ok
    std::string body;
};

/// Undoes a request `content-encoding` (zstd as the real CLI sends in ChatGPT mode, gzip,
/// deflate, identity). The decoded size is capped at `limit` so a hostile body cannot balloon.
DecodedBody decodeBody(std::string raw, std::string_view content_encoding, std::size_t limit);

}  // namespace sluice::emulator
