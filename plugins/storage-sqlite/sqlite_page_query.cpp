#include "sqlite_page_query.hpp"

namespace sluice::plugins::storage_sqlite {

void SqliteFilter::equalsText(std::string_view column, std::string value) {
    conditions_.push_back(std::string(column) + " = ?");
    values_.emplace_back(std::move(value));
}

void SqliteFilter::equalsInt(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " = ?");
    values_.emplace_back(value);
}

void SqliteFilter::atLeast(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " >= ?");
    values_.emplace_back(value);
}

void SqliteFilter::below(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " < ?");
    values_.emplace_back(value);
}

void SqliteFilter::after(std::string_view time_column, std::int64_t time, std::string id) {
    // A row-value comparison lets SQLite seek the (time DESC, id DESC) index directly.
    conditions_.push_back("(" + std::string(time_column) + ", id) < (?, ?)");
    values_.emplace_back(time);
    values_.emplace_back(std::move(id));
}

std::string SqliteFilter::clause() const {
    std::string clause;
    for (const std::string& condition : conditions_) {
        clause += clause.empty() ? " WHERE " : " AND ";
        clause += condition;
    }
    return clause;
}

void SqliteFilter::bind(SqliteStatement& statement) const {
    int index = 1;
    for (const auto& value : values_) {
        if (const auto* number = std::get_if<std::int64_t>(&value)) {
            statement.bindInt(index, *number);
        } else {
            statement.bindText(index, std::get<std::string>(value));
        }
        ++index;
    }
}

}  // namespace sluice::plugins::storage_sqlite
