#include "core/runtime/directory.hpp"

#include <algorithm>

namespace sluice::core::runtime {

const PoolEntry* DirectorySnapshot::findPool(std::string_view name) const {
    for (const auto& pool : pools) {
        if (pool.name == name) {
            return &pool;
        }
    }
    return nullptr;
}

std::vector<PoolEntry> mergePools(const std::vector<config::PoolDecl>& declared,
                                  const std::vector<sdk::PoolRecord>& stored) {
    std::vector<PoolEntry> pools;
    for (const auto& decl : declared) {
        pools.push_back({decl.name, decl.strategy, decl.ring_size, decl.sticky_sessions,
                         PoolSource::Pipeline, decl.handoff});
    }
    for (const auto& record : stored) {
        const bool shadowed = std::any_of(
            pools.begin(), pools.end(), [&](const PoolEntry& p) { return p.name == record.name; });
        if (!shadowed) {
            pools.push_back({record.name, record.strategy, record.ring_size, record.sticky_sessions,
                             PoolSource::Storage});
        }
    }
    std::sort(pools.begin(), pools.end(),
              [](const PoolEntry& a, const PoolEntry& b) { return a.name < b.name; });
    return pools;
}

Directory::Directory(sdk::StorageBackend& storage, std::vector<config::PoolDecl> declared_pools,
                     sdk::Logger& logger)
    : storage_(storage),
      declared_pools_(std::move(declared_pools)),
      logger_(logger),
      current_(std::make_shared<const DirectorySnapshot>()) {}

Directory::~Directory() {
    stopRefreshing();
}

bool Directory::refreshNow() {
    std::lock_guard guard(refresh_mutex_);
    auto keys = storage_.apiKeys().list(std::nullopt);
    auto admin_tokens = storage_.operatorTokens().list(sdk::OperatorTokenKind::Admin);
    auto mcp_tokens = storage_.operatorTokens().list(sdk::OperatorTokenKind::Mcp);
    auto pools = storage_.pools().list();
    auto accounts = storage_.accounts().list(std::nullopt);
    for (const sdk::Status* status : {&keys.status(), &admin_tokens.status(), &mcp_tokens.status(),
                                      &pools.status(), &accounts.status()}) {
        if (!status->ok()) {
            logger_.warn("directory_refresh_failed", {{"reason", status->message()}});
            return false;
        }
    }
    auto next = std::make_shared<DirectorySnapshot>();
    for (auto& key : keys.value()) {
        std::string prefix = key.prefix;
        next->api_keys.emplace(std::move(prefix), std::move(key));
    }
    for (auto* list : {&admin_tokens.value(), &mcp_tokens.value()}) {
        for (auto& token : *list) {
            std::string prefix = token.prefix;
            next->operator_tokens.emplace(std::move(prefix), std::move(token));
        }
    }
    next->pools = mergePools(declared_pools_, pools.value());
    next->accounts = std::move(accounts.value());
    next->loaded_at = std::chrono::system_clock::now();
    current_.store(next);
    for (const auto& listener : listeners_) {
        listener(*next);
    }
    return true;
}

void Directory::replaceDeclaredPools(std::vector<config::PoolDecl> declared_pools) {
    std::lock_guard guard(refresh_mutex_);
    declared_pools_ = std::move(declared_pools);
}

void Directory::onChange(std::function<void(const DirectorySnapshot&)> listener) {
    std::lock_guard guard(refresh_mutex_);
    listeners_.push_back(std::move(listener));
}

void Directory::startRefreshing(std::chrono::milliseconds interval) {
    refresher_ = std::thread([this, interval] {
        std::unique_lock lock(wake_mutex_);
        while (true) {
            // Every `interval`, or at once when asked.
            wake_.wait_for(lock, interval, [this] { return stopping_ || requested_; });
            if (stopping_) {
                return;
            }
            requested_ = false;
            lock.unlock();
            refreshNow();
            lock.lock();
        }
    });
}

void Directory::requestRefresh() {
    {
        std::lock_guard lock(wake_mutex_);
        requested_ = true;
    }
    wake_.notify_all();
}

void Directory::stopRefreshing() {
    {
        std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (refresher_.joinable()) {
        refresher_.join();
    }
}

}  // namespace sluice::core::runtime
