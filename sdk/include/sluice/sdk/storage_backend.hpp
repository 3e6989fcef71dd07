#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/export.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/status.hpp"
#include "sluice/sdk/storage_records.hpp"

namespace sluice::sdk {

// Narrow repositories: each names what the gateway needs, not how a database does it, so SQLite,
// PostgreSQL and Redis can all implement them. Every method is thread-safe, may block, and is
// never called from a request's routing path. Errors come back as Status, never as exceptions.

class SLUICE_SDK_API PoolRepository {
public:
    virtual ~PoolRepository() = default;
    virtual Status create(const PoolRecord& pool) noexcept = 0;  ///< AlreadyExists
    virtual Status update(const PoolRecord& pool) noexcept = 0;  ///< NotFound
    virtual Status remove(std::string_view name) noexcept = 0;   ///< NotFound
    virtual Result<PoolRecord> get(std::string_view name) noexcept = 0;
    virtual Result<std::vector<PoolRecord>> list() noexcept = 0;  ///< by name
};

class SLUICE_SDK_API AccountRepository {
public:
    virtual ~AccountRepository() = default;
    /// AlreadyExists when the id, the label or the (chatgpt_account_id, chatgpt_user_id) seat is
    /// taken.
    virtual Status create(const AccountRecord& account) noexcept = 0;
    /// Replaces pool, label, plan_type, weight, priority and labels (never credentials or status);
    /// NotFound, or AlreadyExists when the new label is taken.
    virtual Status update(const AccountRecord& account) noexcept = 0;
    virtual Result<AccountRecord> get(std::string_view id) noexcept = 0;
    /// All accounts, or those of one pool; ordered by creation time.
    virtual Result<std::vector<AccountRecord>> list(
        std::optional<std::string_view> pool) noexcept = 0;
    virtual Status updateStatus(std::string_view id, AccountStatus status, std::string_view reason,
                                TimePoint updated_at) noexcept = 0;
    /// Replaces the credentials and sets the status in one atomic write.
    virtual Status updateCredentials(std::string_view id, const AccountCredentials& credentials,
                                     AccountStatus status, TimePoint updated_at) noexcept = 0;
    virtual Status remove(std::string_view id) noexcept = 0;
};

class SLUICE_SDK_API ApiKeyRepository {
public:
    virtual ~ApiKeyRepository() = default;
    virtual Status create(const ApiKeyRecord& key) noexcept = 0;
    virtual Result<ApiKeyRecord> findByPrefix(std::string_view prefix) noexcept = 0;
    virtual Result<std::vector<ApiKeyRecord>> list(
        std::optional<std::string_view> pool) noexcept = 0;
    virtual Status setStatus(std::string_view prefix, CredentialStatus status,
                             TimePoint updated_at) noexcept = 0;
    virtual Status setPolicy(std::string_view prefix, std::string_view policy_json,
                             TimePoint updated_at) noexcept = 0;
    /// Replaces hash (rotation) keeping the record; NotFound when absent.
    virtual Status setHash(std::string_view prefix, std::string_view hash,
                           TimePoint updated_at) noexcept = 0;
    virtual Status touch(std::string_view prefix, TimePoint used_at) noexcept = 0;
};

class SLUICE_SDK_API OperatorTokenRepository {
public:
    virtual ~OperatorTokenRepository() = default;
    virtual Status create(const OperatorTokenRecord& token) noexcept = 0;
    virtual Result<OperatorTokenRecord> findByPrefix(std::string_view prefix) noexcept = 0;
    virtual Result<std::vector<OperatorTokenRecord>> list(OperatorTokenKind kind) noexcept = 0;
    virtual Status setStatus(std::string_view prefix, CredentialStatus status) noexcept = 0;
};

class SLUICE_SDK_API RequestLogRepository {
public:
    virtual ~RequestLogRepository() = default;
    /// Appends a batch in one transaction: all rows or none.
    virtual Status append(const std::vector<RequestLogRecord>& records) noexcept = 0;
    virtual Result<RequestLogRecord> get(std::string_view id) noexcept = 0;
    virtual Result<RequestLogPage> query(const RequestLogQuery& query) noexcept = 0;
};

class SLUICE_SDK_API AuditRepository {
public:
    virtual ~AuditRepository() = default;
    virtual Status append(const AuditRecord& record) noexcept = 0;
    virtual Result<AuditRecord> get(std::string_view id) noexcept = 0;
    virtual Result<AuditPage> query(const AuditQuery& query) noexcept = 0;
};

class SLUICE_SDK_API QuotaRepository {
public:
    virtual ~QuotaRepository() = default;
    /// Inserts or replaces by (account_id, window).
    virtual Status upsert(const std::vector<QuotaSnapshotRecord>& snapshots) noexcept = 0;
    virtual Result<std::vector<QuotaSnapshotRecord>> list(
        std::optional<std::string_view> account_id) noexcept = 0;
};

class SLUICE_SDK_API AffinityRepository {
public:
    virtual ~AffinityRepository() = default;
    virtual Status put(const AffinityRecord& record) noexcept = 0;
    /// NotFound when absent or expired at `now`.
    virtual Result<AffinityRecord> get(std::string_view key, TimePoint now) noexcept = 0;
    /// Removes expired rows; returns how many were removed.
    virtual Result<std::uint64_t> purgeExpired(TimePoint now) noexcept = 0;
};

class SLUICE_SDK_API FileRepository {
public:
    virtual ~FileRepository() = default;
    /// Inserts or replaces by (pool, id).
    virtual Status put(const FileRecord& file) noexcept = 0;
    /// NotFound when absent or expired at `now`.
    virtual Result<FileRecord> get(std::string_view pool, std::string_view id,
                                   TimePoint now) noexcept = 0;
    /// Unexpired files of a pool, newest first, at most `limit`.
    virtual Result<std::vector<FileRecord>> list(std::string_view pool, TimePoint now,
                                                 std::uint32_t limit) noexcept = 0;
    virtual Status remove(std::string_view pool, std::string_view id) noexcept = 0;
    virtual Result<std::uint64_t> purgeExpired(TimePoint now) noexcept = 0;
};

class SLUICE_SDK_API UsageRepository {
public:
    virtual ~UsageRepository() = default;
    /// Adds each bucket's counts to the stored bucket with the same (day, pool, key_prefix,
    /// account_id, model), creating it if needed; all or nothing.
    virtual Status add(const std::vector<UsageBucket>& deltas) noexcept = 0;
    /// Matching buckets ordered by day, then pool, key, account and model.
    virtual Result<std::vector<UsageBucket>> query(const UsageQuery& query) noexcept = 0;
};

/// A configured storage backend. Created once at startup; lives until shutdown.
class SLUICE_SDK_API StorageBackend {
public:
    virtual ~StorageBackend() = default;

    /// Brings the schema to the current version (idempotent; versioned migrations).
    virtual Status migrate() noexcept = 0;
    /// Cheap reachability check for /readyz.
    virtual Status ping() noexcept = 0;

    virtual PoolRepository& pools() noexcept = 0;
    virtual AccountRepository& accounts() noexcept = 0;
    virtual ApiKeyRepository& apiKeys() noexcept = 0;
    virtual OperatorTokenRepository& operatorTokens() noexcept = 0;
    virtual RequestLogRepository& requestLogs() noexcept = 0;
    virtual AuditRepository& audit() noexcept = 0;
    virtual QuotaRepository& quotas() noexcept = 0;
    virtual AffinityRepository& affinities() noexcept = 0;
    virtual FileRepository& files() noexcept = 0;
    virtual UsageRepository& usage() noexcept = 0;
};

using StorageBackendPtr = std::unique_ptr<StorageBackend>;

class SLUICE_SDK_API StorageBackendFactory {
public:
    virtual ~StorageBackendFactory() = default;

    /// Stable id used as `storage.type` in YAML, e.g. "sqlite".
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual ConfigSchema schema() const = 0;
    /// Opens the backend (config time; may throw ConfigError). Does not migrate.
    virtual StorageBackendPtr create(const ConfigNode& config, HostServices& host) const = 0;
};

}  // namespace sluice::sdk
