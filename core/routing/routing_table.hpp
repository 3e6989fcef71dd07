#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/routing/account_state.hpp"
#include "core/routing/eligible_set.hpp"
#include "core/runtime/directory.hpp"
#include "core/security/secret_box.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::core::routing {

/// An account ready for routing: identity, decrypted access token and its live state.
struct RoutedAccount {
    std::string id;
    std::string label;
    std::string pool;
    std::string chatgpt_account_id;
    std::string plan_type;
    sdk::AccountStatus status = sdk::AccountStatus::Active;
    std::string access_token;        ///< plaintext in memory only; empty when unusable
    std::string credential_problem;  ///< why access_token is empty
    sdk::TimePoint access_expires_at{};
    sdk::TimePoint updated_at{};
    std::uint32_t weight = 1;
    std::int32_t priority = 0;
    sdk::Labels labels;
    std::uint64_t id_hash = 0;
    std::shared_ptr<AccountState> state;
};

using RoutedAccountPtr = std::shared_ptr<const RoutedAccount>;

struct PoolRoute {
    runtime::PoolEntry pool;
    std::shared_ptr<sdk::RoutingStrategy> strategy;  ///< null when the pool names an unknown one
    std::vector<RoutedAccountPtr> accounts;
    std::shared_ptr<EligibleSetCache> eligible = std::make_shared<EligibleSetCache>();
};

/// Immutable; replaced wholesale when accounts, pools or strategies change.
struct RoutingSnapshot {
    std::unordered_map<std::string, PoolRoute> pools;
    std::unordered_map<std::string, RoutedAccountPtr> accounts;  ///< by id

    const PoolRoute* pool(std::string_view name) const;
};

using RoutingSnapshotPtr = std::shared_ptr<const RoutingSnapshot>;
using StrategySet = std::map<std::string, std::shared_ptr<sdk::RoutingStrategy>>;

/// Turns directory snapshots into routing snapshots: decrypts credentials (once per account
/// version), attaches each account's live state and each pool's strategy instance.
/// rebuild() runs on the directory's thread; snapshot() is lock-free for request threads.
class RoutingTable final {
public:
    /// New accounts get an AccountState trusting quota evidence for `quota_freshness`.
    RoutingTable(const security::SecretBox& secrets, StrategySet strategies, sdk::Logger& logger,
                 std::chrono::milliseconds quota_freshness = std::chrono::minutes(15));

    void rebuild(const runtime::DirectorySnapshot& directory);
    /// Replaces the strategy instances (config reload); in-flight requests keep the old ones.
    void replaceStrategies(StrategySet strategies);
    RoutingSnapshotPtr snapshot() const { return current_.load(); }
    /// Shares the usage-limit blocks every account observes from now on through `mirror`, which
    /// outlives this table (ADR 0012). Any thread.
    void shareBlocksThrough(BlockMirror& mirror);

private:
    RoutedAccountPtr route(const sdk::AccountRecord& record);
    void publish();

    const security::SecretBox& secrets_;
    sdk::Logger& logger_;
    std::chrono::milliseconds quota_freshness_;
    std::mutex mutex_;  // serialises rebuilds
    StrategySet strategies_;
    std::shared_ptr<const runtime::DirectorySnapshot> last_directory_;
    std::unordered_map<std::string, RoutedAccountPtr> accounts_;  ///< last built, by id
    BlockMirror* mirror_ = nullptr;                               ///< guarded by mutex_
    std::atomic<RoutingSnapshotPtr> current_;
};

}  // namespace sluice::core::routing
