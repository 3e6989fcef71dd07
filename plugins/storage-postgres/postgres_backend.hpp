#pragma once

#include "postgres_account_repository.hpp"
#include "postgres_affinity_repository.hpp"
#include "postgres_api_key_repository.hpp"
#include "postgres_audit_repository.hpp"
#include "postgres_config.hpp"
#include "postgres_customer_bearers.hpp"
#include "postgres_file_repository.hpp"
#include "postgres_operator_token_repository.hpp"
#include "postgres_pool.hpp"
#include "postgres_pool_repository.hpp"
#include "postgres_project_repository.hpp"
#include "postgres_quota_repository.hpp"
#include "postgres_request_log_repository.hpp"
#include "postgres_response_repository.hpp"
#include "postgres_transfer.hpp"
#include "postgres_usage_repository.hpp"
#include "postgres_wallet_repository.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"
#include "sluice/sdk/storage_projects.hpp"
#include "sluice/sdk/storage_responses.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_postgres {

/// Records in a PostgreSQL database that several gateways may share: one connection pool lent
/// to every repository, one statement (or one transaction) per call. Thread-safe. Borrows
/// `host`, which outlives it.
class PostgresBackend final : public sdk::StorageBackend,
                              public sdk::StoresProjects,
                              public sdk::StoresResponses,
                              public sdk::StoresWallets,
                              public sdk::StoresCustomerBearers,
                              public sdk::StorageTransfer {
public:
    /// Connects once to check the configuration; throws PostgresError. Does not migrate.
    PostgresBackend(const PostgresConfig& config, sdk::HostServices& host);

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
    sdk::ResponseRepository& responses() noexcept override { return responses_; }
    sdk::WalletRepository& wallets() noexcept override { return wallets_; }
    sdk::CustomerBearerRepository& customerBearers() noexcept override { return bearers_; }
    sdk::Status exportRows(sdk::StoredRowSink& sink) noexcept override {
        return transfer_.exportRows(sink);
    }
    sdk::Result<std::unique_ptr<sdk::StoredRowImport>> beginImport(bool replace) noexcept override {
        return transfer_.beginImport(replace);
    }

private:
    sdk::HostServices& host_;
    sdk::Logger& logger_;
    PostgresPool pool_;
    PostgresPoolRepository pools_{pool_};
    PostgresAccountRepository accounts_{pool_};
    PostgresApiKeyRepository api_keys_{pool_};
    PostgresOperatorTokenRepository operator_tokens_{pool_};
    PostgresRequestLogRepository request_logs_{pool_};
    PostgresAuditRepository audit_{pool_};
    PostgresQuotaRepository quotas_{pool_};
    PostgresAffinityRepository affinities_{pool_};
    PostgresFileRepository files_{pool_};
    PostgresUsageRepository usage_{pool_};
    PostgresProjectRepository projects_{pool_};
    PostgresResponseRepository responses_{pool_};
    PostgresWalletRepository wallets_{pool_};
    PostgresCustomerBearers bearers_{pool_};
    PostgresTransfer transfer_{pool_};
};

}  // namespace sluice::plugins::storage_postgres
