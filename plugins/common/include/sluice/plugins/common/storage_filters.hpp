#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sluice/sdk/storage_records.hpp"

namespace sluice::plugins::common {

/// One condition of a SQL page query: `column op value`. Columns are fixed names from this
/// file, never caller input; values are always bound as parameters. Plain value.
struct Condition {
    enum class Op { Equals, AtLeast, Below };

    const char* column;
    Op op;
    std::variant<std::int64_t, std::string> value;
};

/// The SQL operator of `op`: "=", ">=" or "<".
const char* operatorText(Condition::Op op) noexcept;

/// What a request-log query's set filters mean for the `request_logs` table (times in unix ms).
std::vector<Condition> requestLogConditions(const sdk::RequestLogQuery& query);
/// What an audit query's set filters mean for the `audit_log` table (times in unix ms).
std::vector<Condition> auditConditions(const sdk::AuditQuery& query);

}  // namespace sluice::plugins::common
