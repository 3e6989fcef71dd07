#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core::server {

enum class BodyDecodeError { None, TooLarge, UnsupportedEncoding, Corrupt };

struct DecodedBody {
    BodyDecodeError error = BodyDecodeError::None;
    std::string body;
};

/// Decodes a request body sent with `Content-Encoding` (identity, gzip, deflate or zstd; the
/// Codex CLI sends zstd in ChatGPT mode). The result may not exceed `limit` bytes, which also
/// stops decompression bombs early.
DecodedBody decodeBody(std::string_view content_encoding, std::string&& raw, std::uint64_t limit);

}  // namespace sluice::core::server
