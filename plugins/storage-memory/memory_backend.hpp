#pragma once

#include "memory_account_repository.hpp"
#include "memory_affinity_repository.hpp"
#include "memory_api_key_repository.hpp"
#include "memory_audit_repository.hpp"
#include "memory_file_repository.hpp"
#include "memory_operator_token_repository.hpp"
#include "memory_pool_repository.hpp"
#include "memory_project_repository.hpp"
#include "memory_quota_repository.hpp"
#include "memory_request_log_repository.hpp"
#include "memory_response_repository.hpp"
#include "memory_state.hpp"
#include "memory_usage_repository.hpp"
#include "memory_wallet_repository.hpp"
#include "sluice/sdk/storage_backend.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_memory {

/// Everything in process memory, gone at exit: for tests and throw-away runs. Thread-safe.
class MemoryBackend final : public sdk::StorageBackend,
                            public sdk::StoresProjects,
                            public sdk::StoresWallets,
                            public sdk::StoresCustomerBearers,
                            public sdk::StoresResponses {
public:
    /// Nothing to migrate: the maps are the schema.
    sdk::Status migrate() noexcept override { return sdk::Status::success(); }
    sdk::Status ping() noexcept override { return sdk::Status::success(); }

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
    sdk::CustomerBearerRepository& customerBearers() noexcept override { return wallets_; }
    sdk::ResponseRepository& responses() noexcept override { return responses_; }

private:
    MemoryState state_;
    MemoryPoolRepository pools_{state_};
    MemoryAccountRepository accounts_{state_};
    MemoryApiKeyRepository api_keys_{state_};
    MemoryOperatorTokenRepository operator_tokens_{state_};
    MemoryRequestLogRepository request_logs_{state_};
    MemoryAuditRepository audit_{state_};
    MemoryQuotaRepository quotas_{state_};
    MemoryAffinityRepository affinities_{state_};
    MemoryFileRepository files_{state_};
    MemoryUsageRepository usage_{state_};
    MemoryProjectRepository projects_{state_};
    MemoryWalletRepository wallets_{state_};
    MemoryResponseRepository responses_{state_};
};

}  // namespace sluice::plugins::storage_memory
