#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sluice/plugins/common/storage_filters.hpp"
#include "sluice/sdk/status.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Largest page a query returns, whatever limit the caller asks for.
inline constexpr std::uint32_t kMaxPageSize = 1000;

/// The WHERE clause of a page query, built from a query's conditions (storage_filters.hpp), with
/// its parameters bound in the order the conditions were added. Plain value; one query at a time.
class SqliteFilter final {
public:
    explicit SqliteFilter(const std::vector<common::Condition>& conditions);

    /// Rows strictly after (time, id) in (time DESC, id DESC) order.
    void after(std::string_view time_column, std::int64_t time, std::string id);

    /// " WHERE a AND b ...", or empty without conditions.
    std::string clause() const;
    /// Binds every parameter, starting at 1.
    void bind(SqliteStatement& statement) const;

private:
    std::vector<std::string> conditions_;
    std::vector<std::variant<std::int64_t, std::string>> values_;
};

/// Where a newest-first page lives: `table` has a text `id` and an integer `time_column`.
struct PageSource {
    const char* table;
    const char* time_column;
    const char* columns;  ///< select list, read back by the caller's row reader
};

/// Reads one page ordered by (time DESC, id DESC) strictly after the `before_id` row, so ids
/// need not sort by time. Caller holds the connection's lock. InvalidArgument for a zero limit
/// or an unknown cursor; throws SqliteError.
template <class Page, class ReadRow>
sdk::Result<Page> fetchPage(SqliteConnection& connection, const PageSource& source,
                            SqliteFilter filter, const std::optional<std::string>& before_id,
                            std::uint32_t limit, ReadRow&& read_row) {
    if (limit == 0) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "page limit must be at least 1");
    }
    const std::uint32_t page_size = limit < kMaxPageSize ? limit : kMaxPageSize;

    if (before_id) {
        SqliteStatement cursor = connection.prepare(std::string("SELECT ") + source.time_column +
                                                    " FROM " + source.table + " WHERE id = ?1");
        cursor.bindText(1, *before_id);
        if (!cursor.step()) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "unknown page cursor '" + *before_id + "'");
        }
        filter.after(source.time_column, cursor.columnInt(0), *before_id);
    }

    SqliteStatement select =
        connection.prepare(std::string("SELECT ") + source.columns + " FROM " + source.table +
                           filter.clause() + " ORDER BY " + source.time_column +
                           " DESC, id DESC LIMIT " + std::to_string(page_size + 1));
    filter.bind(select);

    Page page;
    while (select.step()) {
        if (page.items.size() == page_size) {
            // One row beyond the page proves there is more to read.
            page.next_cursor = page.items.back().id;
            break;
        }
        page.items.push_back(read_row(select));
    }
    return page;
}

}  // namespace sluice::plugins::storage_sqlite
