#include "core/http/message_framing.hpp"

#include <Poco/String.h>

#include <charconv>
#include <string>

namespace sluice::core::http {

namespace {

std::optional<std::uint64_t> decimalLength(const std::string& text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
        return std::nullopt;
    }
    return value;
}

FramingProblem lengthProblem(const Poco::Net::HTTPMessage& head,
                             std::optional<std::string>& length) {
    FramingProblem problem = FramingProblem::None;
    for (const auto& [name, value] : head) {
        if (Poco::icompare(name, Poco::Net::HTTPMessage::CONTENT_LENGTH) != 0) {
            continue;
        }
        if (length && *length != value) {
            problem = FramingProblem::ConflictingLengths;
        }
        length = value;
    }
    if (problem == FramingProblem::None && length && !decimalLength(*length)) {
        problem = FramingProblem::MalformedLength;
    }
    return problem;
}

}  // namespace

MessageFraming framingOf(const Poco::Net::HTTPMessage& head) {
    MessageFraming framing;
    framing.chunked = head.getChunkedTransferEncoding();
    std::optional<std::string> length;
    framing.problem = lengthProblem(head, length);
    if (head.has(Poco::Net::HTTPMessage::TRANSFER_ENCODING)) {
        if (!framing.chunked) {
            framing.problem = FramingProblem::UnknownCoding;
        } else if (length) {
            framing.problem = FramingProblem::LengthWithCoding;
        }
    }
    if (!framing.chunked && length && framing.problem == FramingProblem::None) {
        framing.content_length = decimalLength(*length);
    }
    return framing;
}

std::string_view describe(FramingProblem problem) noexcept {
    switch (problem) {
        case FramingProblem::None:
            return "none";
        case FramingProblem::LengthWithCoding:
            return "both Transfer-Encoding and Content-Length";
        case FramingProblem::UnknownCoding:
            return "a transfer coding other than chunked";
        case FramingProblem::MalformedLength:
            return "a Content-Length that is not a decimal number";
        case FramingProblem::ConflictingLengths:
            return "Content-Length headers that disagree";
    }
    return "unknown";
}

}  // namespace sluice::core::http
