#include "core/http/message_framing.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "sluice/sdk/http.hpp"

namespace sluice::core::http {

namespace {

std::optional<std::uint64_t> decimalLength(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
        return std::nullopt;
    }
    return value;
}

FramingProblem lengthProblem(std::span<const HeadField> fields,
                             std::optional<std::string_view>& length) {
    FramingProblem problem = FramingProblem::None;
    for (const HeadField& field : fields) {
        if (!sdk::equalsIgnoreCase(field.name, "Content-Length")) {
            continue;
        }
        if (length && *length != field.value) {
            problem = FramingProblem::ConflictingLengths;
        }
        length = field.value;
    }
    if (problem == FramingProblem::None && length && !decimalLength(*length)) {
        problem = FramingProblem::MalformedLength;
    }
    return problem;
}

// The first Transfer-Encoding field, as the one that decides (repeats are not merged).
std::optional<std::string_view> transferCoding(std::span<const HeadField> fields) {
    for (const HeadField& field : fields) {
        if (sdk::equalsIgnoreCase(field.name, "Transfer-Encoding")) {
            return field.value;
        }
    }
    return std::nullopt;
}

}  // namespace

MessageFraming framingOf(std::span<const HeadField> fields) {
    MessageFraming framing;
    const std::optional<std::string_view> coding = transferCoding(fields);
    framing.chunked = coding && sdk::equalsIgnoreCase(*coding, "chunked");
    std::optional<std::string_view> length;
    framing.problem = lengthProblem(fields, length);
    if (coding) {
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

MessageFraming framingOf(const Poco::Net::HTTPMessage& head) {
    std::vector<HeadField> fields;
    for (const auto& [name, value] : head) {
        fields.push_back({name, value});
    }
    return framingOf(fields);
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
