#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "sluice/sdk/time.hpp"

namespace sluice::core::cli {

/// Prints rows as an aligned text table (header first) — the human form of `--json` output.
void printTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

/// RFC 3339 UTC with seconds, or "-" for the epoch (never set).
std::string formatTime(sdk::TimePoint time);

void printJson(std::ostream& out, const nlohmann::json& value);

}  // namespace sluice::core::cli
