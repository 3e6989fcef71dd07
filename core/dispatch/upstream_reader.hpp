#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/upstream/chunked_decoder.hpp"
#include "core/upstream/connection_pool.hpp"

namespace sluice::core::dispatch {

/// How an upstream body ends: at a declared length, at the last chunk, or when the peer closes.
struct BodyFraming {
    bool chunked = false;
    std::optional<std::uint64_t> content_length;
};

/// Reads an upstream response body as bytes arrive, decoding the framing itself so it never
/// blocks inside Poco's stream parsers: it waits on the socket with a timeout (for keepalives
/// and give-ups) and otherwise only reads what is already there. Single-threaded.
class UpstreamReader final {
public:
    enum class Read { Data, Idle, End, Error };

    UpstreamReader(upstream::UpstreamConnection& connection, BodyFraming framing)
        : connection_(connection), framing_(framing), remaining_(framing.content_length) {}

    /// Appends newly decoded body bytes to `out`, waiting at most `wait` for input to arrive.
    /// End means no more bytes will come: check finished() to tell a proper end from a cut.
    Read readSome(std::string& out, std::chrono::milliseconds wait);
    /// Reads the rest of the body up to `limit` bytes (error bodies).
    std::string readAll(std::size_t limit, std::chrono::milliseconds wait);
    /// The body was read to its proper end (the connection may be reused).
    bool finished() const noexcept { return finished_; }

private:
    upstream::UpstreamConnection& connection_;
    BodyFraming framing_;
    std::optional<std::uint64_t> remaining_;
    upstream::ChunkedDecoder chunks_;
    bool finished_ = false;
};

}  // namespace sluice::core::dispatch
