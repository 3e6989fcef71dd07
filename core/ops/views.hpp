#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/runtime/directory.hpp"
#include "sluice/sdk/routing_strategy.hpp"
#include "sluice/sdk/storage_records.hpp"

/// The JSON shapes operators see (admin API, MCP tools), each next to its schema so the two
/// cannot drift apart. Metadata only: never a credential, a token hash or a request body.
namespace sluice::core::ops::views {

/// RFC 3339 UTC ("2026-11-21T19:15:35Z"), or null for a time never set.
nlohmann::json time(sdk::TimePoint time);
nlohmann::json timeSchema(const std::string& description);

/// {used_percent, window_minutes, resets_at}, or null when unknown.
nlohmann::json quotaWindow(const sdk::QuotaWindow& window);
nlohmann::json quotaWindowSchema();

nlohmann::json pool(const runtime::PoolEntry& pool);
nlohmann::json poolSchema();

nlohmann::json key(const sdk::ApiKeyRecord& key);
/// A key's stored policy as an object (empty when it has none or it does not parse).
nlohmann::json keyPolicy(const sdk::ApiKeyRecord& key);
nlohmann::json keySchema();
/// {key, record}: a key just issued or rotated, its secret shown this once.
nlohmann::json issuedKey(const std::string& raw, const sdk::ApiKeyRecord& key);
nlohmann::json issuedKeySchema();

nlohmann::json operatorToken(const sdk::OperatorTokenRecord& token);
nlohmann::json operatorTokenSchema();

nlohmann::json requestLog(const sdk::RequestLogRecord& record, bool with_routing);
nlohmann::json requestLogSchema();

nlohmann::json audit(const sdk::AuditRecord& record);
nlohmann::json auditSchema();

/// {requests, errors, input_tokens, cached_input_tokens, output_tokens, reasoning_tokens,
/// total_tokens}.
nlohmann::json usageCounts(const sdk::UsageBucket& sum);
nlohmann::json usageCountsSchema();

}  // namespace sluice::core::ops::views
