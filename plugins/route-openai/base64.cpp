#include "base64.hpp"

#include <cstdint>

namespace sluice::plugins::route_openai {

std::string base64Encode(std::string_view bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const std::uint32_t triple = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                                     (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                                     static_cast<std::uint8_t>(bytes[i + 2]);
        out += kAlphabet[(triple >> 18) & 63];
        out += kAlphabet[(triple >> 12) & 63];
        out += kAlphabet[(triple >> 6) & 63];
        out += kAlphabet[triple & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t triple = static_cast<std::uint8_t>(bytes[i]) << 16;
        if (rest == 2) {
            triple |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
        }
        out += kAlphabet[(triple >> 18) & 63];
        out += kAlphabet[(triple >> 12) & 63];
        out += rest == 2 ? kAlphabet[(triple >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

}  // namespace sluice::plugins::route_openai
