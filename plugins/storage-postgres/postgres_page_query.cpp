#include "postgres_page_query.hpp"

namespace sluice::plugins::storage_postgres {

std::string PostgresFilter::next() {
    return "$" + std::to_string(params_.size() + 1);
}

void PostgresFilter::equalsText(std::string_view column, const std::string& value) {
    conditions_.push_back(std::string(column) + " = " + next());
    params_.text(value);
}

void PostgresFilter::equalsInt(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " = " + next());
    params_.integer(value);
}

void PostgresFilter::atLeast(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " >= " + next());
    params_.integer(value);
}

void PostgresFilter::below(std::string_view column, std::int64_t value) {
    conditions_.push_back(std::string(column) + " < " + next());
    params_.integer(value);
}

void PostgresFilter::after(std::string_view time_column, std::int64_t time, const std::string& id) {
    // A row-value comparison lets PostgreSQL walk the (time DESC, id DESC) index directly.
    const std::string time_param = next();
    params_.integer(time);
    const std::string id_param = next();
    params_.text(id);
    conditions_.push_back("(" + std::string(time_column) + ", id) < (" + time_param + ", " +
                          id_param + ")");
}

std::string PostgresFilter::clause() const {
    std::string clause;
    for (const std::string& condition : conditions_) {
        clause += clause.empty() ? " WHERE " : " AND ";
        clause += condition;
    }
    return clause;
}

}  // namespace sluice::plugins::storage_postgres
