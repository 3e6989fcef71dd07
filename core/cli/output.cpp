#include "core/cli/output.hpp"

#include <algorithm>

#include "core/accounting/utc_time.hpp"

namespace sluice::core::cli {

void printTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        widths[c] = header[c].size();
        for (const auto& row : rows) {
            widths[c] = std::max(widths[c], c < row.size() ? row[c].size() : 0);
        }
    }
    const auto printRow = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string cell = c < row.size() ? row[c] : "";
            line += cell;
            if (c + 1 < header.size()) {
                line += std::string(widths[c] - cell.size() + 2, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out << line << '\n';
    };
    printRow(header);
    for (const auto& row : rows) {
        printRow(row);
    }
}

std::string formatTime(sdk::TimePoint time) {
    if (time.time_since_epoch().count() == 0) {
        return "-";
    }
    return accounting::rfc3339(time);
}

void printJson(std::ostream& out, const nlohmann::json& value) {
    out << value.dump(2) << '\n';
}

}  // namespace sluice::core::cli
