#pragma once

// Plain records that cross the storage boundary. Times are system_clock time points stored with
// millisecond precision; secrets only ever appear encrypted (EncryptedSecret) or hashed.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

struct PoolRecord {
    std::string name;      ///< slug, unique
    std::string strategy;  ///< name of a `strategies:` entry in the pipeline
    std::uint32_t ring_size = 3;
    bool sticky_sessions = true;
    TimePoint created_at{};
    TimePoint updated_at{};
};

/// AES-256-GCM output: `ciphertext` is nonce (12 bytes) || ciphertext || tag (16 bytes).
struct EncryptedSecret {
    std::uint32_t key_version = 0;
    std::string ciphertext;

    bool empty() const noexcept { return ciphertext.empty(); }
};

enum class AccountStatus {
    Active,
    RefreshDue,
    Refreshing,
    RefreshFailed,
    ReauthRequired,
    Paused,
    Disabled,
};

/// Operator-chosen key/value tags (e.g. region=eu), read by routing strategies.
using Labels = std::vector<std::pair<std::string, std::string>>;

struct AccountRecord {
    std::string id;  ///< "acct_<hex>", unique
    std::string pool;
    std::string label;               ///< operator-facing name, unique
    std::string chatgpt_account_id;  ///< sent upstream as chatgpt-account-id (a workspace)
    std::string chatgpt_user_id;     ///< the seat within it; unique together with the account id
    std::string plan_type;
    AccountStatus status = AccountStatus::Active;
    std::string status_reason;
    EncryptedSecret access_token;
    EncryptedSecret refresh_token;
    EncryptedSecret id_token;
    TimePoint access_expires_at{};
    TimePoint last_refresh_at{};
    std::uint32_t weight = 1;
    std::int32_t priority = 0;
    Labels labels;
    TimePoint created_at{};
    TimePoint updated_at{};
};

/// New credentials after a refresh; written atomically with the status change.
struct AccountCredentials {
    EncryptedSecret access_token;
    EncryptedSecret refresh_token;
    EncryptedSecret id_token;
    TimePoint access_expires_at{};
    TimePoint last_refresh_at{};
};

enum class CredentialStatus { Active, Paused, Revoked };

/// A Pool API key. The raw key is shown once; only its prefix (lookup) and hash are stored.
struct ApiKeyRecord {
    std::string prefix;  ///< public lookup id, unique, e.g. "sk-sluice-1a2b3c4d5e6f"
    std::string hash;    ///< hex SHA-256 of the whole key
    std::string pool;
    std::string name;
    CredentialStatus status = CredentialStatus::Active;
    std::string policy_json = "{}";  ///< per-key limits, owned by the admission layer
    TimePoint created_at{};
    TimePoint updated_at{};
    TimePoint last_used_at{};
};

enum class OperatorTokenKind { Admin, Mcp };

/// Admin or MCP token; same storage rule as Pool API keys.
struct OperatorTokenRecord {
    std::string prefix;
    std::string hash;
    OperatorTokenKind kind = OperatorTokenKind::Admin;
    std::string name;
    CredentialStatus status = CredentialStatus::Active;
    TimePoint created_at{};
    TimePoint last_used_at{};
};

/// Metadata of one client request: never a prompt, a body or a credential.
struct RequestLogRecord {
    std::string id;  ///< "req_<hex>", unique
    TimePoint started_at{};
    std::string pool;
    std::string key_prefix;
    std::string model;
    std::string route;       ///< operation id, e.g. "codex.responses"
    std::string method;      ///< the client's HTTP method, e.g. "POST" (SDK 2.0)
    std::string route_path;  ///< the route's path template, e.g. "/v1/files/{id}" (SDK 2.0)
    std::string route_class;
    std::string account_id;
    std::string account_label;
    int status = 0;  ///< HTTP status sent to the client
    std::string error_code;
    std::uint32_t attempts = 0;
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t reasoning_tokens = 0;
    std::int64_t latency_us = 0;
    std::int64_t first_byte_us = 0;  ///< 0 when nothing was sent
    std::string routing_json;        ///< exclusions, order and attempts (metadata only)
};

struct RequestLogQuery {
    std::optional<std::string> pool;
    std::optional<std::string> key_prefix;
    std::optional<std::string> model;
    std::optional<int> status;
    std::optional<TimePoint> since;        ///< inclusive
    std::optional<TimePoint> until;        ///< exclusive
    std::optional<std::string> before_id;  ///< page cursor: rows older than this id
    std::uint32_t limit = 50;
};

struct RequestLogPage {
    std::vector<RequestLogRecord> items;  ///< newest first
    std::optional<std::string> next_cursor;
};

struct AuditRecord {
    std::string id;  ///< "aud_<hex>", unique
    TimePoint occurred_at{};
    std::string actor;   ///< "cli", "admin:<token prefix>", ...
    std::string action;  ///< "pool.create", "key.revoke", ...
    std::string target;
    std::string outcome;  ///< "success" | "failure"
    std::string details_json = "{}";
};

struct AuditQuery {
    std::optional<std::string> actor;
    std::optional<std::string> action;
    std::optional<std::string> target;
    std::optional<TimePoint> since;
    std::optional<TimePoint> until;
    std::optional<std::string> before_id;
    std::uint32_t limit = 50;
};

struct AuditPage {
    std::vector<AuditRecord> items;  ///< newest first
    std::optional<std::string> next_cursor;
};

/// The latest evidence about one quota window of one account.
struct QuotaSnapshotRecord {
    std::string account_id;
    std::string window;  ///< "primary", "secondary", or "<limit>.primary"
    double used_percent = 0.0;
    std::int64_t window_minutes = 0;
    TimePoint resets_at{};
    TimePoint observed_at{};
    std::string source;  ///< "headers", "event", "usage_limit", "probe"
};

/// A file uploaded through an account: later requests that reference it must go to that account.
/// Metadata only; the bytes stay upstream.
struct FileRecord {
    std::string id;  ///< the upstream file id
    std::string pool;
    std::string account_id;  ///< the account that owns it upstream
    std::string filename;
    std::string purpose;
    std::uint64_t bytes = 0;
    TimePoint created_at{};
    TimePoint expires_at{};  ///< after this the record may be purged
};

/// Usage summed per UTC day, pool, key, account and model; written behind requests.
struct UsageBucket {
    std::int64_t day = 0;  ///< days since the Unix epoch (UTC)
    std::string pool;
    std::string key_prefix;
    std::string account_id;
    std::string model;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;  ///< requests answered with a 4xx/5xx
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::uint64_t reasoning_tokens = 0;
};

/// Unset fields match everything; days are inclusive.
struct UsageQuery {
    std::optional<std::string> pool;
    std::optional<std::string> key_prefix;
    std::optional<std::string> account_id;
    std::optional<std::string> model;
    std::int64_t from_day = 0;
    std::int64_t to_day = 0;
};

/// Keeps a conversation on one account across requests and restarts.
struct AffinityRecord {
    std::string key;  ///< hashed affinity key, never the raw session id
    std::string account_id;
    TimePoint expires_at{};
};

}  // namespace sluice::sdk
