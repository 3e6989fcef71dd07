#include "postgres_page_query.hpp"

namespace sluice::plugins::storage_postgres {

std::string PostgresFilter::next() {
    return "$" + std::to_string(params_.size() + 1);
}

PostgresFilter::PostgresFilter(const std::vector<common::Condition>& conditions) {
    for (const common::Condition& condition : conditions) {
        conditions_.push_back(std::string(condition.column) + " " +
                              common::operatorText(condition.op) + " " + next());
        if (const auto* number = std::get_if<std::int64_t>(&condition.value)) {
            params_.integer(*number);
        } else {
            params_.text(std::get<std::string>(condition.value));
        }
    }
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
