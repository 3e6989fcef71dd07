#pragma once

#include <Poco/Net/HTTPMessage.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sluice::core::http {

/// Why a message head leaves the end of its body in doubt (RFC 9112 §6.1, §6.3).
enum class FramingProblem {
    None,
    LengthWithCoding,    ///< both Transfer-Encoding and Content-Length
    UnknownCoding,       ///< a transfer coding other than chunked
    MalformedLength,     ///< a Content-Length that is not one decimal number
    ConflictingLengths,  ///< Content-Length headers that disagree
};

/// How a message's body ends, read once for requests and upstream answers alike: at the last
/// chunk, at a declared length, or (neither) when the peer closes.
struct MessageFraming {
    bool chunked = false;
    std::optional<std::uint64_t> content_length;  ///< only when not chunked and no problem
    FramingProblem problem = FramingProblem::None;
};

/// One header field of a head as any parser read it: a view, valid while the head is.
struct HeadField {
    std::string_view name;
    std::string_view value;
};

/// The framing a head with `fields` (in order, repeats kept) declares. Chunked wins over a
/// length, as the RFC says, but is reported as a problem: a sender that says both is smuggling
/// or broken. Any thread.
MessageFraming framingOf(std::span<const HeadField> fields);

/// framingOf() over the fields Poco read (upstream answers).
MessageFraming framingOf(const Poco::Net::HTTPMessage& head);

/// A short phrase for logs and error messages, e.g. "both Transfer-Encoding and Content-Length".
std::string_view describe(FramingProblem problem) noexcept;

}  // namespace sluice::core::http
