#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "memory_state.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_memory {

/// Largest page a query returns, whatever limit the caller asks for.
inline constexpr std::uint32_t kMaxPageSize = 1000;

/// Reads one page of `rows` newest first (time DESC, id DESC, as kept in `order`), strictly
/// after the `before_id` row, keeping those `matches` accepts. `time` names the record's
/// timestamp. The caller holds the state's mutex. InvalidArgument for a zero limit or an
/// unknown cursor.
template <class Page, class Record, class Matches>
sdk::Result<Page> readPage(const std::map<std::string, Record, std::less<>>& rows,
                           const NewestFirst& order, sdk::TimePoint Record::*time,
                           const std::optional<std::string>& before_id, std::uint32_t limit,
                           Matches&& matches) {
    if (limit == 0) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "page limit must be at least 1");
    }
    const std::uint32_t page_size = limit < kMaxPageSize ? limit : kMaxPageSize;

    auto position = order.begin();
    if (before_id) {
        const auto cursor = rows.find(*before_id);
        if (cursor == rows.end()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "unknown page cursor '" + *before_id + "'");
        }
        position = order.upper_bound(TimeKey{toMillis(cursor->second.*time), *before_id});
    }

    Page page;
    for (; position != order.end(); ++position) {
        const Record& record = rows.find(position->second)->second;
        if (!matches(record)) {
            continue;
        }
        if (page.items.size() == page_size) {
            // One more match beyond the page proves there is more to read.
            page.next_cursor = page.items.back().id;
            break;
        }
        page.items.push_back(record);
    }
    return page;
}

}  // namespace sluice::plugins::storage_memory
