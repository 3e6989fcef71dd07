#include "core/billing/money.hpp"

namespace sluice::core::billing {

namespace {

constexpr std::int64_t kMicrosPerUsd = 1'000'000;
constexpr std::int64_t kMaxWholeUsd = 9'000'000'000'000;
constexpr std::size_t kMaxDecimals = 6;
constexpr std::int64_t kMaxMicroUsd = kMaxWholeUsd * kMicrosPerUsd + kMicrosPerUsd - 1;
constexpr std::int64_t kHundredthsPerWhole = 10'000;  ///< 100% in hundredths of a percent
constexpr std::int64_t kMicrosPerHundredth = kMicrosPerUsd / 100;
constexpr std::int64_t kMinHundredths = -10'000;
constexpr std::int64_t kMaxHundredths = 100'000;
// A price (up to 9e18 micro-USD) times 110,000 needs more than 64 bits.
__extension__ using Wide = __int128;  // GCC/Clang extension

}  // namespace

sdk::Result<std::int64_t> parseUsd(std::string_view text, std::string_view what) {
    const auto invalid = [&] {
        return sdk::Status{sdk::StatusCode::InvalidArgument,
                           std::string(what) +
                               " must be a USD amount such as 12 or 0.15 (at most " +
                               "6 decimals, not negative), got '" + std::string(text) + "'"};
    };
    const std::size_t point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    const bool digits_only = [&] {
        for (const std::string_view part : {whole, fraction}) {
            for (const char c : part) {
                if (c < '0' || c > '9') {
                    return false;
                }
            }
        }
        return true;
    }();
    if (whole.empty() || !digits_only || fraction.size() > kMaxDecimals ||
        (point != std::string_view::npos && fraction.empty())) {
        return invalid();
    }
    std::int64_t usd = 0;
    for (const char c : whole) {
        usd = usd * 10 + (c - '0');
        if (usd > kMaxWholeUsd) {
            return invalid();
        }
    }
    std::int64_t micros = 0;
    for (std::size_t i = 0; i < kMaxDecimals; ++i) {
        micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    }
    return usd * kMicrosPerUsd + micros;
}

sdk::Result<std::int32_t> parsePercent(std::string_view text, std::string_view what) {
    const bool negative = !text.empty() && text.front() == '-';
    const std::string_view magnitude =
        !text.empty() && (negative || text.front() == '+') ? text.substr(1) : text;
    // The same digits as a USD amount, read with 6 decimals: 2 of them may be set.
    const auto parsed = parseUsd(magnitude, what);
    const std::int64_t hundredths =
        parsed.ok() ? (negative ? -1 : 1) * parsed.value() / kMicrosPerHundredth : 0;
    if (!parsed.ok() || parsed.value() % kMicrosPerHundredth != 0 || hundredths < kMinHundredths ||
        hundredths > kMaxHundredths) {
        return sdk::Status{sdk::StatusCode::InvalidArgument,
                           std::string(what) +
                               " must be a percent from -100 to 1000 with at most 2 decimals, "
                               "such as 10 or -12.5, got '" +
                               std::string(text) + "'"};
    }
    return static_cast<std::int32_t>(hundredths);
}

sdk::Result<std::int64_t> adjustByPercent(std::int64_t micro_usd, std::int32_t hundredths) {
    const Wide scaled = static_cast<Wide>(micro_usd) * (kHundredthsPerWhole + hundredths);
    const Wide rounded = (scaled + kHundredthsPerWhole / 2) / kHundredthsPerWhole;
    if (micro_usd < 0 || rounded < 0 || rounded > kMaxMicroUsd) {
        return sdk::Status{
            sdk::StatusCode::InvalidArgument,
            "the adjusted price " + formatUsd(micro_usd) + " USD would leave the range of a price"};
    }
    return static_cast<std::int64_t>(rounded);
}

std::string formatUsd(std::int64_t micro_usd) {
    const bool negative = micro_usd < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(micro_usd)
                                             : static_cast<std::uint64_t>(micro_usd);
    std::string fraction = std::to_string(magnitude % kMicrosPerUsd);
    fraction.insert(0, kMaxDecimals - fraction.size(), '0');
    return (negative ? "-" : "") + std::to_string(magnitude / kMicrosPerUsd) + "." + fraction;
}

}  // namespace sluice::core::billing
