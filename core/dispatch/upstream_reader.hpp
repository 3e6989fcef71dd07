#pragma once

#include <Poco/Net/HTTPResponse.h>

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
    /// The head was ambiguous (both Transfer-Encoding and Content-Length, or a coding other
    /// than chunked): the body may be read, but the connection is never reused.
    bool ambiguous = false;
};

/// The framing an upstream response head declares (RFC 9112 §6.3): chunked wins over a length;
/// a length that is not one decimal number, or disagrees with another, leaves the body
/// delimited by the connection's close.
BodyFraming framingOf(const Poco::Net::HTTPResponse& head);

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
    /// The body was read to its proper end.
    bool finished() const noexcept { return finished_; }
    /// The body ended where its framing said and nothing followed it: only then can the next
    /// answer on this connection be trusted to belong to the next request.
    bool reusable() const noexcept {
        return finished_ && !overran_ && !chunks_.overran() && !framing_.ambiguous &&
               (framing_.chunked || framing_.content_length);
    }

private:
    upstream::UpstreamConnection& connection_;
    BodyFraming framing_;
    std::optional<std::uint64_t> remaining_;
    upstream::ChunkedDecoder chunks_;
    bool finished_ = false;
    bool overran_ = false;
};

}  // namespace sluice::core::dispatch
