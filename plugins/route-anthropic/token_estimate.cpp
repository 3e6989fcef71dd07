#include "token_estimate.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

using json = nlohmann::json;

constexpr std::uint64_t kImageTokens = 1600;
constexpr std::uint64_t kItemFraming = 4;

enum class CharClass { Letter, Digit, Space, Newline, Other };

CharClass classOf(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
        return CharClass::Letter;
    }
    if (c >= '0' && c <= '9') {
        return CharClass::Digit;
    }
    if (c == ' ' || c == '\t') {
        return CharClass::Space;
    }
    return c == '\n' || c == '\r' ? CharClass::Newline : CharClass::Other;
}

// What one pre-split piece of `length` bytes (of which `wide` are non-ASCII) usually costs.
std::uint64_t pieceCost(CharClass kind, std::size_t length, std::size_t wide) {
    switch (kind) {
        case CharClass::Letter:
            // Common words are one token; long or rare ones split about every 6 letters;
            // non-ASCII text costs about a token per character (2-3 bytes).
            return 1 + (length - wide) / 7 + wide / 3;
        case CharClass::Digit:
            return (length + 2) / 3;
        case CharClass::Other:
            return (length + 1) / 2;
        case CharClass::Newline:
            return 1;
        case CharClass::Space:
            return length > 1 ? 1 : 0;  // one space joins the next word
    }
    return 1;
}

void walk(const json& value, const char* key, std::uint64_t& total) {
    if (value.is_string()) {
        const std::string_view name = key == nullptr ? "" : key;
        if (name == "image_url") {
            total += kImageTokens;
        } else if (name != "type" && name != "role" && name != "call_id" && name != "detail") {
            total += estimateTextTokens(value.get_ref<const std::string&>());
        }
    } else if (value.is_object()) {
        total += kItemFraming;
        for (const auto& [name, member] : value.items()) {
            walk(member, name.c_str(), total);
        }
    } else if (value.is_array()) {
        for (const json& element : value) {
            walk(element, key, total);
        }
    }
}

}  // namespace

std::uint64_t estimateTextTokens(std::string_view text) {
    std::uint64_t total = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        const CharClass kind = classOf(static_cast<unsigned char>(text[at]));
        std::size_t end = at + 1;
        std::size_t wide = static_cast<unsigned char>(text[at]) >= 0x80 ? 1 : 0;
        const std::size_t limit = kind == CharClass::Digit ? at + 3 : text.size();
        while (end < text.size() && end < limit &&
               classOf(static_cast<unsigned char>(text[end])) == kind) {
            wide += static_cast<unsigned char>(text[end]) >= 0x80 ? 1 : 0;
            ++end;
        }
        total += pieceCost(kind, end - at, wide);
        at = end;
    }
    return total;
}

std::uint64_t estimateInputTokens(const json& responses_body) {
    std::uint64_t total = 0;
    for (const char* part : {"input", "tools"}) {
        if (responses_body.is_object() && responses_body.contains(part)) {
            walk(responses_body[part], nullptr, total);
        }
    }
    return total;
}

}  // namespace sluice::plugins::route_anthropic
