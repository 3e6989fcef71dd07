#pragma once

// Durations and sizes always carry units in the pipeline ("30s", "16MiB"). Header-only parsers,
// shared by the host's validator and by plugins.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace sluice::sdk {

namespace detail {

/// Splits "123unit" into its number and unit; nullopt when there is no leading number.
inline std::optional<std::pair<std::uint64_t, std::string_view>> splitQuantity(
    std::string_view text) {
    std::size_t i = 0;
    std::uint64_t value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        const std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
        ++i;
    }
    if (i == 0) {
        return std::nullopt;
    }
    return std::make_pair(value, text.substr(i));
}

}  // namespace detail

/// Parses "250ms", "30s", "5m", "1h", "7d" (or "0"). nullopt for anything else.
inline std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
    const auto parts = detail::splitQuantity(text);
    if (!parts) {
        return std::nullopt;
    }
    const auto [value, unit] = *parts;
    std::uint64_t factor = 0;
    if (unit == "ms") {
        factor = 1;
    } else if (unit == "s") {
        factor = 1000;
    } else if (unit == "m") {
        factor = 60'000;
    } else if (unit == "h") {
        factor = 3'600'000;
    } else if (unit == "d") {
        factor = 86'400'000;
    } else if (unit.empty() && value == 0) {
        factor = 1;
    } else {
        return std::nullopt;
    }
    if (value > UINT64_MAX / factor / 2) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(value * factor));
}

/// Parses "512B", "64KiB", "16MiB", "1GiB" (binary) or "10KB", "5MB", "1GB" (decimal), or "0".
inline std::optional<std::uint64_t> parseSize(std::string_view text) {
    const auto parts = detail::splitQuantity(text);
    if (!parts) {
        return std::nullopt;
    }
    const auto [value, unit] = *parts;
    std::uint64_t factor = 0;
    if (unit == "B" || (unit.empty() && value == 0)) {
        factor = 1;
    } else if (unit == "KiB") {
        factor = 1ULL << 10;
    } else if (unit == "MiB") {
        factor = 1ULL << 20;
    } else if (unit == "GiB") {
        factor = 1ULL << 30;
    } else if (unit == "KB") {
        factor = 1000;
    } else if (unit == "MB") {
        factor = 1000 * 1000;
    } else if (unit == "GB") {
        factor = 1000 * 1000 * 1000;
    } else {
        return std::nullopt;
    }
    if (value > UINT64_MAX / factor) {
        return std::nullopt;
    }
    return value * factor;
}

}  // namespace sluice::sdk
