#include "sluice/plugins/common/storage_tables.hpp"

#include <utility>

namespace sluice::plugins::common {

namespace {

constexpr auto kInt = ColumnType::Integer;
constexpr auto kReal = ColumnType::Real;
constexpr auto kText = ColumnType::Text;
constexpr auto kBytes = ColumnType::Bytes;
constexpr auto kBool = ColumnType::Boolean;

std::vector<TransferTable> makeTables() {
    return {
        {"pools",
         {{"name", kText},
          {"strategy", kText},
          {"ring_size", kInt},
          {"sticky_sessions", kBool},
          {"created_at", kInt},
          {"updated_at", kInt}},
         {"name"}},
        {"accounts",
         {{"id", kText},
          {"pool", kText},
          {"label", kText},
          {"chatgpt_account_id", kText},
          {"chatgpt_user_id", kText},
          {"plan_type", kText},
          {"status", kText},
          {"status_reason", kText},
          {"access_token_key_version", kInt},
          {"access_token", kBytes},
          {"refresh_token_key_version", kInt},
          {"refresh_token", kBytes},
          {"id_token_key_version", kInt},
          {"id_token", kBytes},
          {"access_expires_at", kInt},
          {"last_refresh_at", kInt},
          {"weight", kInt},
          {"priority", kInt},
          {"labels", kText},
          {"created_at", kInt},
          {"updated_at", kInt}},
         {"created_at"},
         true},
        {"api_keys",
         {{"prefix", kText},
          {"hash", kText},
          {"pool", kText},
          {"name", kText},
          {"status", kText},
          {"policy_json", kText},
          {"created_at", kInt},
          {"updated_at", kInt},
          {"last_used_at", kInt}},
         {"created_at"},
         true},
        {"operator_tokens",
         {{"prefix", kText},
          {"hash", kText},
          {"kind", kText},
          {"name", kText},
          {"status", kText},
          {"created_at", kInt},
          {"last_used_at", kInt}},
         {"created_at"},
         true},
        {"request_logs",
         {{"id", kText},
          {"started_at", kInt},
          {"pool", kText},
          {"key_prefix", kText},
          {"model", kText},
          {"route", kText},
          {"method", kText},
          {"route_path", kText},
          {"route_class", kText},
          {"account_id", kText},
          {"account_label", kText},
          {"status", kInt},
          {"error_code", kText},
          {"attempts", kInt},
          {"input_tokens", kInt},
          {"cached_input_tokens", kInt},
          {"output_tokens", kInt},
          {"reasoning_tokens", kInt},
          {"latency_us", kInt},
          {"first_byte_us", kInt},
          {"routing_json", kText}},
         {"id"}},
        {"audit_log",
         {{"id", kText},
          {"occurred_at", kInt},
          {"actor", kText},
          {"action", kText},
          {"target", kText},
          {"outcome", kText},
          {"details_json", kText}},
         {"id"}},
        {"quota_snapshots",
         {{"account_id", kText},
          {"quota_window", kText},
          {"used_percent", kReal},
          {"window_minutes", kInt},
          {"resets_at", kInt},
          {"observed_at", kInt},
          {"source", kText}},
         {"account_id", "quota_window"}},
        {"affinities",
         {{"affinity_key", kText}, {"account_id", kText}, {"expires_at", kInt}},
         {"affinity_key"}},
        {"files",
         {{"pool", kText},
          {"id", kText},
          {"account_id", kText},
          {"filename", kText},
          {"purpose", kText},
          {"bytes", kInt},
          {"created_at", kInt},
          {"expires_at", kInt}},
         {"pool", "id"}},
        {"usage_buckets",
         {{"day", kInt},
          {"pool", kText},
          {"key_prefix", kText},
          {"account_id", kText},
          {"model", kText},
          {"requests", kInt},
          {"errors", kInt},
          {"input_tokens", kInt},
          {"cached_input_tokens", kInt},
          {"output_tokens", kInt},
          {"reasoning_tokens", kInt}},
         {"day", "pool", "key_prefix", "account_id", "model"}},
        {"projects",
         {{"id", kText},
          {"owner_key", kText},
          {"name", kText},
          {"client_owner", kText},
          {"template_name", kText},
          {"workspace", kText},
          {"thread_id", kText},
          {"active_turn_id", kText},
          {"snapshot_input", kInt},
          {"snapshot_cached", kInt},
          {"snapshot_output", kInt},
          {"snapshot_reasoning", kInt},
          {"snapshot_total", kInt},
          {"total_input", kInt},
          {"total_cached", kInt},
          {"total_output", kInt},
          {"total_reasoning", kInt},
          {"total_total", kInt},
          {"turns", kInt},
          {"created_at", kInt},
          {"updated_at", kInt}},
         {"id"}},
        {"customers", {{"id", kText}, {"username", kText}, {"created_at", kInt}}, {"id"}},
        {"customer_bearers", {{"customer_id", kText}}, {"customer_id"}},
        {"wallets",
         {{"id", kText},
          {"customer_id", kText},
          {"balance", kInt},
          {"created_at", kInt},
          {"updated_at", kInt}},
         {"id"}},
        {"wallet_key_links", {{"key_prefix", kText}, {"wallet_id", kText}}, {"key_prefix"}},
        {"rate_cards",
         {{"model", kText},
          {"version", kInt},
          {"input_per_million", kInt},
          {"cached_input_per_million", kInt},
          {"output_per_million", kInt},
          {"per_call", kInt},
          {"created_at", kInt}},
         {"model", "version"}},
        {"wallet_transactions",
         {{"id", kText},
          {"wallet_id", kText},
          {"kind", kText},
          {"idempotency_key", kText},
          {"key_prefix", kText},
          {"model", kText},
          {"rate_card_version", kInt},
          {"input_tokens", kInt},
          {"cached_tokens", kInt},
          {"output_tokens", kInt},
          {"amount", kInt},
          {"cost", kInt},
          {"balance_after", kInt},
          {"reason", kText},
          {"created_at", kInt}},
         {"id"}},
        {"conversation_baselines",
         {{"wallet_id", kText}, {"conversation_key", kText}, {"reported_input", kInt}},
         {"wallet_id", "conversation_key"}},
        {"stored_responses",
         {{"id", kText},
          {"owner_key", kText},
          {"kind", kText},
          {"model", kText},
          {"created_at", kInt},
          {"expires_at", kInt},
          {"sealed_key_version", kInt},
          {"sealed", kBytes}},
         {"id"}},
    };
}

sdk::StoredValue::Type transferType(ColumnType type) noexcept {
    switch (type) {
        case ColumnType::Real:
            return sdk::StoredValue::Type::Real;
        case ColumnType::Text:
            return sdk::StoredValue::Type::Text;
        case ColumnType::Bytes:
            return sdk::StoredValue::Type::Bytes;
        case ColumnType::Integer:
        case ColumnType::Boolean:
            break;
    }
    return sdk::StoredValue::Type::Integer;
}

ColumnType columnType(const TransferTable& table, std::string_view column) {
    for (const TransferColumn& candidate : table.columns) {
        if (column == candidate.name) {
            return candidate.type;
        }
    }
    return ColumnType::Integer;
}

sdk::Status invalid(std::string message) {
    return {sdk::StatusCode::InvalidArgument, std::move(message)};
}

}  // namespace

const std::vector<TransferTable>& transferTables() {
    static const std::vector<TransferTable> tables = makeTables();
    return tables;
}

sdk::StoredTable storedTable(const TransferTable& table) {
    sdk::StoredTable stored{table.name, {}};
    for (const TransferColumn& column : table.columns) {
        stored.columns.emplace_back(column.name);
    }
    return stored;
}

sdk::Result<const TransferTable*> importedTable(const sdk::StoredTable& table) {
    for (const TransferTable& candidate : transferTables()) {
        if (table.name != candidate.name) {
            continue;
        }
        if (table.columns != storedTable(candidate).columns) {
            return invalid("table " + table.name + " arrives with columns this backend does not " +
                           "hold as listed");
        }
        return &candidate;
    }
    return invalid("this backend holds no table " + table.name);
}

sdk::Status checkRow(const TransferTable& table, const sdk::StoredRow& row) {
    if (row.size() != table.columns.size()) {
        return invalid("a row of " + std::string(table.name) + " has " +
                       std::to_string(row.size()) + " values for " +
                       std::to_string(table.columns.size()) + " columns");
    }
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i].type != transferType(table.columns[i].type)) {
            return invalid(std::string(table.name) + "." + table.columns[i].name +
                           " holds a value of another type");
        }
    }
    return sdk::Status::success();
}

std::string exportSql(const TransferTable& table, std::string_view text_collation,
                      std::string_view insertion_column) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + std::string(table.columns[i].name);
    }
    sql += " FROM " + std::string(table.name) + " ORDER BY ";
    for (std::size_t i = 0; i < table.order.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + std::string(table.order[i]);
        if (columnType(table, table.order[i]) == ColumnType::Text) {
            sql += text_collation;
        }
    }
    if (table.insertion_order) {
        sql += ", " + std::string(insertion_column);
    }
    return sql;
}

std::string importSql(const TransferTable& table, char placeholder, std::size_t rows) {
    std::string sql = "INSERT INTO " + std::string(table.name) + " (";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        sql += (i == 0 ? "" : ", ") + std::string(table.columns[i].name);
    }
    sql += ") VALUES ";
    std::size_t parameter = 1;
    for (std::size_t row = 0; row < rows; ++row) {
        sql += row == 0 ? "(" : ", (";
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            sql += (i == 0 ? "" : ", ") + std::string(1, placeholder) + std::to_string(parameter++);
        }
        sql += ")";
    }
    return sql;
}

sdk::Status RowBatch::add(sdk::StoredRow row) {
    rows_.push_back(std::move(row));
    return rows_.size() >= kTransferBatch ? flush() : sdk::Status::success();
}

sdk::Status RowBatch::flush() {
    if (rows_.empty()) {
        return sdk::Status::success();
    }
    sdk::Status passed = sink_.rows(rows_);
    rows_.clear();
    return passed;
}

sdk::StoredValue integerValue(std::int64_t value) {
    sdk::StoredValue stored;
    stored.integer = value;
    return stored;
}

sdk::StoredValue realValue(double value) {
    sdk::StoredValue stored;
    stored.type = sdk::StoredValue::Type::Real;
    stored.real = value;
    return stored;
}

sdk::StoredValue textValue(std::string value) {
    sdk::StoredValue stored;
    stored.type = sdk::StoredValue::Type::Text;
    stored.text = std::move(value);
    return stored;
}

sdk::StoredValue bytesValue(std::string value) {
    sdk::StoredValue stored;
    stored.type = sdk::StoredValue::Type::Bytes;
    stored.text = std::move(value);
    return stored;
}

}  // namespace sluice::plugins::common
