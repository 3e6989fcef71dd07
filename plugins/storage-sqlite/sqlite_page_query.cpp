#include "sqlite_page_query.hpp"

namespace sluice::plugins::storage_sqlite {

SqliteFilter::SqliteFilter(const std::vector<common::Condition>& conditions) {
    for (const common::Condition& condition : conditions) {
        conditions_.push_back(std::string(condition.column) + " " +
                              common::operatorText(condition.op) + " ?");
        values_.push_back(condition.value);
    }
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
