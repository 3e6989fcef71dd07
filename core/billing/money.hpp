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

/// The exact decimal of a micro-USD amount: 1500000 -> "1.500000", -25 -> "-0.000025".
std::string formatUsd(std::int64_t micro_usd);

}  // namespace sluice::core::billing
