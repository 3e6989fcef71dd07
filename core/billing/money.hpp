#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::core::billing {

/// Parses a non-negative USD amount written as a decimal ("12", "0.15", "2.500000") exactly
/// into micro-USD: digits, at most one point and at most 6 decimals, no sign, no exponent, at
/// most $9,000,000,000,000. InvalidArgument, naming `what`, for anything else.
sdk::Result<std::int64_t> parseUsd(std::string_view text, std::string_view what);

/// Parses a signed percent with at most 2 decimals ("10", "-12.5", "+0.25") exactly into
/// hundredths of a percent, from -100% to +1000%. InvalidArgument, naming `what`, otherwise.
sdk::Result<std::int32_t> parsePercent(std::string_view text, std::string_view what);

/// A non-negative micro-USD price changed by `hundredths` of a percent, in integers:
/// micro_usd × (10000 + hundredths) / 10000, rounded to the nearest micro-USD, halves up.
/// InvalidArgument when that is more than parseUsd accepts.
sdk::Result<std::int64_t> adjustByPercent(std::int64_t micro_usd, std::int32_t hundredths);

/// The exact decimal of a micro-USD amount: 1500000 -> "1.500000", -25 -> "-0.000025".
std::string formatUsd(std::int64_t micro_usd);

}  // namespace sluice::core::billing
