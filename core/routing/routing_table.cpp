#include "core/routing/routing_table.hpp"

#include "core/routing/stable_hash.hpp"

namespace sluice::core::routing {

const PoolRoute* RoutingSnapshot::pool(std::string_view name) const {
    const auto it = pools.find(std::string(name));
    return it == pools.end() ? nullptr : &it->second;
}

RoutingTable::RoutingTable(const security::SecretBox& secrets, StrategySet strategies,
                           sdk::Logger& logger, std::chrono::milliseconds quota_freshness)
    : secrets_(secrets),
      logger_(logger),
      quota_freshness_(quota_freshness),
      strategies_(std::move(strategies)),
      current_(std::make_shared<const RoutingSnapshot>()) {}

RoutedAccountPtr RoutingTable::route(const sdk::AccountRecord& record) {
    const auto previous = accounts_.find(record.id);
    if (previous != accounts_.end() && previous->second->updated_at == record.updated_at) {
        return previous->second;  // unchanged: keep the decrypted token
    }
    auto account = std::make_shared<RoutedAccount>();
    account->id = record.id;
    account->label = record.label;
    account->pool = record.pool;
    account->chatgpt_account_id = record.chatgpt_account_id;
    account->plan_type = record.plan_type;
    account->status = record.status;
    account->access_expires_at = record.access_expires_at;
    account->updated_at = record.updated_at;
    account->weight = std::max<std::uint32_t>(1, record.weight);
    account->priority = record.priority;
    account->labels = record.labels;
    account->id_hash = stableHash64(record.id);
    if (previous != accounts_.end()) {
        account->state = previous->second->state;
    } else {
        account->state = std::make_shared<AccountState>(quota_freshness_, record.id);
        if (mirror_ != nullptr) {
            account->state->reportBlocksTo(*mirror_);
        }
    }
    if (record.access_token.empty()) {
        account->credential_problem = "no access token stored";
    } else if (auto token = secrets_.decrypt(
                   record.access_token, security::accountSecretAad(record.id, "access_token"))) {
        account->access_token = std::move(*token);
    } else {
        account->credential_problem = "credentials cannot be decrypted (key version " +
                                      std::to_string(record.access_token.key_version) + ")";
        logger_.warn("account_credentials_unreadable",
                     {{"account", record.label},
                      {"key_version", std::to_string(record.access_token.key_version)}});
    }
    return account;
}

void RoutingTable::rebuild(const runtime::DirectorySnapshot& directory) {
    std::lock_guard lock(mutex_);
    last_directory_ = std::make_shared<const runtime::DirectorySnapshot>(directory);
    std::unordered_map<std::string, RoutedAccountPtr> next;
    for (const auto& record : directory.accounts) {
        next.emplace(record.id, route(record));
    }
    accounts_ = std::move(next);
    publish();
}

void RoutingTable::shareBlocksThrough(BlockMirror& mirror) {
    std::lock_guard lock(mutex_);
    mirror_ = &mirror;
    for (const auto& [id, account] : accounts_) {
        account->state->reportBlocksTo(mirror);
    }
}

void RoutingTable::replaceStrategies(StrategySet strategies) {
    std::lock_guard lock(mutex_);
    strategies_ = std::move(strategies);
    publish();
}

void RoutingTable::publish() {
    auto snapshot = std::make_shared<RoutingSnapshot>();
    if (last_directory_) {
        for (const auto& pool : last_directory_->pools) {
            PoolRoute route;
            route.pool = pool;
            const auto strategy = strategies_.find(pool.strategy);
            route.strategy = strategy == strategies_.end() ? nullptr : strategy->second;
            snapshot->pools.emplace(pool.name, std::move(route));
        }
        for (const auto& record : last_directory_->accounts) {
            const RoutedAccountPtr& account = accounts_.at(record.id);
            snapshot->accounts.emplace(account->id, account);
            const auto pool = snapshot->pools.find(account->pool);
            if (pool != snapshot->pools.end()) {
                pool->second.accounts.push_back(account);
            }
        }
    }
    current_.store(std::move(snapshot));
}

}  // namespace sluice::core::routing
