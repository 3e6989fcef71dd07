#include "tests/emulator/token_minter.hpp"

#include <array>

namespace sluice::emulator {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kIssuer = "https://auth.openai.com";

std::string assemble(const nlohmann::json& payload) {
    static const std::string header =
        base64UrlEncode(R"({"alg":"RS256","kid":"sluice-emulator","typ":"JWT"})");
    static const std::string signature = base64UrlEncode("sluice-emulator-unsigned");
    return header + "." + base64UrlEncode(payload.dump()) + "." + signature;
}

nlohmann::json authClaim(const TokenSubject& subject) {
    return {{"chatgpt_account_id", subject.account_id},
            {"chatgpt_plan_type", subject.plan_type},
            {"chatgpt_user_id", subject.user_id},
            {"user_id", subject.user_id}};
}

}  // namespace

std::string base64UrlEncode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                       (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += kAlphabet[(n >> 6) & 63];
        out += kAlphabet[n & 63];
    }
    const auto rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2)
            n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        if (rest == 2)
            out += kAlphabet[(n >> 6) & 63];
    }
    return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
    std::array<int, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    }
    table['+'] = 62;
    table['/'] = 63;
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const int value = table[static_cast<unsigned char>(c)];
        if (value < 0)
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::optional<nlohmann::json> decodeJwtPayload(std::string_view token) {
    const auto first = token.find('.');
    if (first == std::string_view::npos)
        return std::nullopt;
    const auto second = token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    const auto payload = base64UrlDecode(token.substr(first + 1, second - first - 1));
    if (!payload)
        return std::nullopt;
    auto json = nlohmann::json::parse(*payload, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return std::nullopt;
    return json;
}

std::string mintAccessToken(const TokenSubject& subject, std::int64_t issued_at,
                            std::int64_t expires_at, std::string_view jti) {
    return assemble({
        {"aud", {"https://api.openai.com/v1"}},
        {"client_id", kCodexClientId},
        {"exp", expires_at},
        {"https://api.openai.com/auth", authClaim(subject)},
        {"https://api.openai.com/profile", {{"email", subject.email}, {"email_verified", true}}},
        {"iat", issued_at},
        {"iss", kIssuer},
        {"jti", jti},
        {"nbf", issued_at},
        {"scp", {"openid", "profile", "email", "offline_access"}},
        {"sub", subject.user_id},
    });
}

std::string mintIdToken(const TokenSubject& subject, std::int64_t issued_at,
                        std::int64_t expires_at, std::string_view jti) {
    return assemble({
        {"aud", {kCodexClientId}},
        {"email", subject.email},
        {"email_verified", true},
        {"exp", expires_at},
        {"https://api.openai.com/auth", authClaim(subject)},
        {"iat", issued_at},
        {"iss", kIssuer},
        {"jti", jti},
        {"sub", subject.user_id},
    });
}

}  // namespace sluice::emulator
