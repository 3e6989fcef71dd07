#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/http/message_framing.hpp"
#include "core/upstream/chunked_decoder.hpp"
#include "core/upstream/connection_pool.hpp"

namespace sluice::core::dispatch {

/// Reads an upstream response body as bytes arrive, decoding the framing itself so it never
/// blocks inside Poco's stream parsers: it waits on the socket with a timeout (for keepalives
/// and give-ups) and otherwise only reads what is already there. Single-threaded.
class UpstreamReader final {
public:
    enum class Read { Data, Idle, End, Error };

    UpstreamReader(upstream::UpstreamConnection& connection, http::MessageFraming framing)
        : connection_(connection), framing_(framing), remaining_(framing.content_length) {}

    /// Appends newly decoded body bytes to `out`, waiting at most `wait` for input to arrive.
    /// End means no more bytes will come: check finished() to tell a proper end from a cut.
    Read readSome(std::string& out, std::chrono::milliseconds wait);
    /// Reads the rest of the body up to `limit` bytes (error bodies).
    std::string readAll(std::size_t limit, std::chrono::milliseconds wait);
    /// The body was read to its proper end.
    bool finished() const noexcept { return finished_; }
    /// The body ended where its framing said and nothing followed it: only then can the next
    /// answer on this connection be trusted to belong to the next request.
    bool reusable() const noexcept {
        return finished_ && !overran_ && !chunks_.overran() &&
               framing_.problem == http::FramingProblem::None &&
               (framing_.chunked || framing_.content_length);
    }

private:
    upstream::UpstreamConnection& connection_;
    http::MessageFraming framing_;
    std::optional<std::uint64_t> remaining_;
    upstream::ChunkedDecoder chunks_;
    bool finished_ = false;
    bool overran_ = false;
};

}  // namespace sluice::core::dispatch
