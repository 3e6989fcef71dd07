#pragma once

#include <memory>

#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_account_repository.hpp"
#include "sqlite_affinity_repository.hpp"
#include "sqlite_api_key_repository.hpp"
#include "sqlite_audit_repository.hpp"
#include "sqlite_config.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_customer_bearers.hpp"
#include "sqlite_file_repository.hpp"
#include "sqlite_operator_token_repository.hpp"
#include "sqlite_pool_repository.hpp"
#include "sqlite_project_repository.hpp"
#include "sqlite_quota_repository.hpp"
#include "sqlite_request_log_repository.hpp"
#include "sqlite_response_repository.hpp"
#include "sqlite_transfer.hpp"
#include "sqlite_usage_repository.hpp"
#include "sqlite_wallet_repository.hpp"

namespace sluice::plugins::storage_sqlite {

/// The embedded default backend: one SQLite file, one connection shared (under its mutex) by
/// every repository. Thread-safe. Borrows `host`, which outlives it.
class SqliteBackend final : public sdk::StorageBackend,
                            public sdk::StoresProjects,
                            public sdk::StoresWallets,
                            public sdk::StoresCustomerBearers,
                            public sdk::StoresResponses,
                            public sdk::StorageTransfer {
public:
    /// Opens the database file; throws SqliteError. Does not migrate.
    SqliteBackend(const SqliteConfig& config, sdk::HostServices& host);

    sdk::Status migrate() noexcept override;
    sdk::Status ping() noexcept override;

    sdk::PoolRepository& pools() noexcept override { return pools_; }
    sdk::AccountRepository& accounts() noexcept override { return accounts_; }
    sdk::ApiKeyRepository& apiKeys() noexcept override { return api_keys_; }
    sdk::OperatorTokenRepository& operatorTokens() noexcept override { return operator_tokens_; }
    sdk::RequestLogRepository& requestLogs() noexcept override { return request_logs_; }
    sdk::AuditRepository& audit() noexcept override { return audit_; }
    sdk::QuotaRepository& quotas() noexcept override { return quotas_; }
    sdk::AffinityRepository& affinities() noexcept override { return affinities_; }
    sdk::FileRepository& files() noexcept override { return files_; }
    sdk::UsageRepository& usage() noexcept override { return usage_; }
    sdk::ProjectRepository& projects() noexcept override { return projects_; }
    sdk::WalletRepository& wallets() noexcept override { return wallets_; }
    sdk::CustomerBearerRepository& customerBearers() noexcept override { return bearers_; }
    sdk::ResponseRepository& responses() noexcept override { return responses_; }
    sdk::Status exportRows(sdk::StoredRowSink& sink) noexcept override {
        return transfer_.exportRows(sink);
    }
    sdk::Result<std::unique_ptr<sdk::StoredRowImport>> beginImport(bool replace) noexcept override {
        return transfer_.beginImport(replace);
    }

private:
    sdk::HostServices& host_;
    sdk::Logger& logger_;
    SqliteConnection connection_;
    SqlitePoolRepository pools_{connection_};
    SqliteAccountRepository accounts_{connection_};
    SqliteApiKeyRepository api_keys_{connection_};
    SqliteOperatorTokenRepository operator_tokens_{connection_};
    SqliteRequestLogRepository request_logs_{connection_};
    SqliteAuditRepository audit_{connection_};
    SqliteQuotaRepository quotas_{connection_};
    SqliteAffinityRepository affinities_{connection_};
    SqliteFileRepository files_{connection_};
    SqliteUsageRepository usage_{connection_};
    SqliteProjectRepository projects_{connection_};
    SqliteWalletRepository wallets_{connection_};
    SqliteCustomerBearers bearers_{connection_};
    SqliteResponseRepository responses_{connection_};
    SqliteTransfer transfer_{connection_};
};

}  // namespace sluice::plugins::storage_sqlite
