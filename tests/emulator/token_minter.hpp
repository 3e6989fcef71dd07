#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::emulator {

/// Who a minted token speaks for; the claims follow §8.1 so the real CLI reads plan, account
/// and e-mail from them.
struct TokenSubject {
    std::string account_id;
    std::string user_id;
    std::string email;
    std::string plan_type;
};

/// The client id the real CLI sends on refresh; minted tokens name it as their audience.
inline constexpr std::string_view kCodexClientId = "app_EMoamEEZ73f0CkXaXp7hrann";

/// JWTs with a dummy signature: clients never verify them (§8.1), the emulator only compares
/// the whole string. Each call yields a distinct token (the `jti` differs).
std::string mintAccessToken(const TokenSubject& subject, std::int64_t issued_at,
                            std::int64_t expires_at, std::string_view jti);
std::string mintIdToken(const TokenSubject& subject, std::int64_t issued_at,
                        std::int64_t expires_at, std::string_view jti);

std::string base64UrlEncode(std::string_view bytes);
std::optional<std::string> base64UrlDecode(std::string_view text);
/// The payload of a three-part JWT, or nullopt when `token` is not one.
std::optional<nlohmann::json> decodeJwtPayload(std::string_view token);

}  // namespace sluice::emulator
