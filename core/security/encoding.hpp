#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core::security {

std::string toHex(std::string_view bytes);
std::optional<std::string> fromHex(std::string_view text);
/// Standard alphabet with padding.
std::string toBase64(std::string_view bytes);
/// URL-safe alphabet, no padding (tokens that travel in headers and URLs).
std::string toBase64Url(std::string_view bytes);
/// Accepts the standard and URL-safe alphabets, with or without padding.
std::optional<std::string> fromBase64(std::string_view text);

/// `n` bytes from OpenSSL's CSPRNG.
std::string randomBytes(std::size_t n);
/// Fast, not cryptographic: a per-thread splitmix64 generator seeded once from the CSPRNG, for
/// routing choices and record ids (never for credentials).
std::uint64_t fastRandom64() noexcept;
/// Hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
/// Raw (32-byte) HMAC-SHA256 of `data` under `key`.
std::string hmacSha256(std::string_view key, std::string_view data);
/// Compares without leaking where the inputs differ.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace sluice::core::security
