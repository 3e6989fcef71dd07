#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "postgres_connection.hpp"
#include "postgres_pool.hpp"
#include "sluice/plugins/common/storage_filters.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_postgres {

/// Largest page a query returns, whatever limit the caller asks for.
inline constexpr std::uint32_t kMaxPageSize = 1000;

/// The WHERE clause of a page query, built from a query's conditions (storage_filters.hpp); each
/// condition takes the next parameter number. Plain value; one query at a time.
class PostgresFilter final {
public:
    explicit PostgresFilter(const std::vector<common::Condition>& conditions);

    /// Rows strictly after (time, id) in (time DESC, id DESC) order.
    void after(std::string_view time_column, std::int64_t time, const std::string& id);

    /// " WHERE a AND b ...", or empty without conditions.
    std::string clause() const;
    const PostgresParams& params() const noexcept { return params_; }

private:
    std::string next();

    std::vector<std::string> conditions_;
    PostgresParams params_;
};

/// Where a newest-first page lives: `table` has a text `id` and an integer `time_column`.
struct PageSource {
    const char* table;
    const char* time_column;
    const char* columns;  ///< select list, read back by the caller's row reader
};

/// Reads one page ordered by (time DESC, id DESC) strictly after the `before_id` row, so ids
/// need not sort by time. InvalidArgument for a zero limit or an unknown cursor; throws
/// PostgresError.
template <class Page, class ReadRow>
sdk::Result<Page> fetchPage(PostgresPool& pool, const PageSource& source, PostgresFilter filter,
                            const std::optional<std::string>& before_id, std::uint32_t limit,
                            ReadRow&& read_row) {
    if (limit == 0) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "page limit must be at least 1");
    }
    const std::uint32_t page_size = limit < kMaxPageSize ? limit : kMaxPageSize;
    auto connection = pool.acquire();

    if (before_id) {
        const PostgresResult cursor =
            connection->exec(std::string("SELECT ") + source.time_column + " FROM " + source.table +
                                 " WHERE id = $1",
                             PostgresParams().text(*before_id));
        if (cursor.rows() == 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "unknown page cursor '" + *before_id + "'");
        }
        filter.after(source.time_column, cursor.integer(0, 0), *before_id);
    }

    const PostgresResult rows =
        connection->exec(std::string("SELECT ") + source.columns + " FROM " + source.table +
                             filter.clause() + " ORDER BY " + source.time_column +
                             " DESC, id DESC LIMIT " + std::to_string(page_size + 1),
                         filter.params());

    Page page;
    for (int row = 0; row < rows.rows(); ++row) {
        if (page.items.size() == page_size) {
            // One row beyond the page proves there is more to read.
            page.next_cursor = page.items.back().id;
            break;
        }
        page.items.push_back(read_row(rows, row));
    }
    return page;
}

}  // namespace sluice::plugins::storage_postgres
