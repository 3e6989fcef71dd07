#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::core::upstream {

/// Decodes HTTP/1.1 chunked transfer coding incrementally, so a reader can hand it whatever the
/// socket produced and never block inside a half-received chunk header. Single-threaded.
class ChunkedDecoder final {
public:
    /// Consumes `input`, appending decoded body bytes to `out`. Returns false on malformed framing.
    bool feed(std::string_view input, std::string& out);
    /// The terminating zero-size chunk and its trailers have been read.
    bool done() const noexcept { return state_ == State::Done; }
    /// Bytes followed the terminating chunk: the connection's framing is in doubt.
    bool overran() const noexcept { return overran_; }

private:
    enum class State { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done };

    State state_ = State::Size;
    std::uint64_t remaining_ = 0;
    bool size_seen_ = false;
    bool trailer_line_empty_ = true;
    bool overran_ = false;
};

}  // namespace sluice::core::upstream
