#include "task_merge.hpp"

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

constexpr std::string_view kCursorPrefix = "sl1.";
constexpr char kHex[] = "0123456789abcdef";

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

double timeOf(const json& object) {
    for (const char* key : {"updated_at", "created_at"}) {
        if (const auto it = object.find(key); it != object.end() && it->is_number()) {
            return it->get<double>();
        }
    }
    return 0;
}

// Task summaries carry their times at the top; feed items inside "task".
double sortTime(const json& item) {
    if (!item.is_object()) {
        return 0;
    }
    if (const auto task = item.find("task"); task != item.end() && task->is_object()) {
        return timeOf(*task);
    }
    return timeOf(item);
}

}  // namespace

std::string encodeCursor(const std::vector<AccountPosition>& positions) {
    if (positions.empty()) {
        return {};
    }
    json list = json::array();
    for (const AccountPosition& position : positions) {
        list.push_back({{"a", position.account}, {"c", position.cursor}, {"s", position.skip}});
    }
    const std::string text = list.dump();
    std::string out(kCursorPrefix);
    for (const unsigned char c : text) {
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
    return out;
}

std::optional<std::vector<AccountPosition>> decodeCursor(std::string_view text) {
    if (!text.starts_with(kCursorPrefix) || (text.size() - kCursorPrefix.size()) % 2 != 0) {
        return std::nullopt;
    }
    std::string raw;
    for (std::size_t i = kCursorPrefix.size(); i < text.size(); i += 2) {
        const int high = hexValue(text[i]);
        const int low = hexValue(text[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        raw += static_cast<char>(high * 16 + low);
    }
    const json list = common::parseJson(raw);
    if (!list.is_array() || list.empty()) {
        return std::nullopt;
    }
    std::vector<AccountPosition> positions;
    for (const json& entry : list) {
        if (!entry.is_object() || !entry.contains("a") || !entry["a"].is_string() ||
            !entry.contains("c") || !entry["c"].is_string() || !entry.contains("s") ||
            !entry["s"].is_number_unsigned()) {
            return std::nullopt;
        }
        positions.push_back({entry["a"].get<std::string>(), entry["c"].get<std::string>(),
                             entry["s"].get<std::size_t>()});
    }
    return positions;
}

MergedPage mergeRuns(const std::vector<AccountRun>& runs, std::size_t limit) {
    MergedPage page;
    std::vector<std::size_t> taken(runs.size(), 0);
    while (page.items.size() < limit) {
        std::optional<std::size_t> newest;
        for (std::size_t r = 0; r < runs.size(); ++r) {
            if (taken[r] == runs[r].items.size()) {
                continue;
            }
            // Ties go to the earlier run, so the order is stable across pages.
            if (!newest || sortTime(runs[r].items[taken[r]].item) >
                               sortTime(runs[*newest].items[taken[*newest]].item)) {
                newest = r;
            }
        }
        if (!newest) {
            break;
        }
        page.items.push_back(runs[*newest].items[taken[*newest]].item);
        ++taken[*newest];
    }
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const AccountRun& run = runs[r];
        if (taken[r] < run.items.size()) {
            const FetchedItem& next = run.items[taken[r]];
            page.next.push_back({run.account, next.page_cursor, next.index});
        } else if (!run.next_cursor.empty()) {
            page.next.push_back({run.account, run.next_cursor, 0});
        }
    }
    return page;
}

}  // namespace sluice::plugins::route_backend
