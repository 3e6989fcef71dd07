#include "core/runtime/shared_blocks.hpp"

#include <algorithm>
#include <utility>

namespace sluice::core::runtime {

namespace {

/// Adds `from` to `into`, keeping the later end of each account's block.
void keepLatest(std::map<std::string, sdk::TimePoint>& into,
                const std::map<std::string, sdk::TimePoint>& from) {
    for (const auto& [account_id, until] : from) {
        sdk::TimePoint& held = into[account_id];
        held = std::max(held, until);
    }
}

}  // namespace

SharedBlocks::SharedBlocks(sdk::SharedStateV3& state, routing::RoutingTable& routing,
                           const sdk::Clock& clock, sdk::Metrics& metrics, sdk::Logger& logger)
    : state_(state),
      routing_(routing),
      clock_(clock),
      logger_(logger),
      share_fallbacks_(metrics.counter(
          "sluice_blocks_shared_fallbacks_total",
          "Usage-limit blocks kept to this replica, and loads of the replicas' blocks that "
          "failed, because the shared state did not answer",
          {{"kind", "share"}})),
      load_fallbacks_(metrics.counter(
          "sluice_blocks_shared_fallbacks_total",
          "Usage-limit blocks kept to this replica, and loads of the replicas' blocks that "
          "failed, because the shared state did not answer",
          {{"kind", "load"}})) {}

SharedBlocks::~SharedBlocks() {
    stop();
}

void SharedBlocks::start() {
    writer_ = std::thread([this] { run(); });
}

void SharedBlocks::stop() noexcept {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) {
        writer_.join();
    }
    idle_.notify_all();
}

void SharedBlocks::blocked(const std::string& account_id, sdk::TimePoint until) noexcept {
    try {
        std::lock_guard lock(mutex_);
        sdk::TimePoint& queued = pending_[account_id];
        queued = std::max(queued, until);
    } catch (const std::bad_alloc&) {
        share_fallbacks_.add(1);  // this replica still keeps the block
        return;
    }
    wake_.notify_one();
}

void SharedBlocks::adopt(const sdk::AccountBlock& block) noexcept {
    if (apply(block.account_id, block.until) || block.until <= clock_.now()) {
        return;
    }
    // Another replica may route an account this one's directory has not loaded yet.
    try {
        std::lock_guard lock(unmatched_mutex_);
        sdk::TimePoint& kept = unmatched_[block.account_id];
        kept = std::max(kept, block.until);
    } catch (const std::bad_alloc&) {
        // The account meets its limit here once, as without shared blocks.
    }
}

void SharedBlocks::directoryChanged() noexcept {
    std::lock_guard lock(unmatched_mutex_);
    const sdk::TimePoint now = clock_.now();
    std::erase_if(unmatched_, [&](const auto& kept) {
        return kept.second <= now || apply(kept.first, kept.second);
    });
}

bool SharedBlocks::apply(const std::string& account_id, sdk::TimePoint until) noexcept {
    const routing::RoutingSnapshotPtr snapshot = routing_.snapshot();
    const auto account = snapshot->accounts.find(account_id);
    if (account == snapshot->accounts.end()) {
        return false;
    }
    account->second->state->adoptBlock(until, clock_.now());
    return true;
}

void SharedBlocks::linkUp() noexcept {
    {
        std::lock_guard lock(mutex_);
        reload_ = true;
    }
    wake_.notify_one();
}

void SharedBlocks::flush() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return stopping_ || (!busy_ && pending_.empty() && !reload_); });
}

void SharedBlocks::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || reload_ || !pending_.empty(); });
        if (stopping_) {
            return;
        }
        const bool reloading = std::exchange(reload_, false);
        Blocks taken = std::exchange(pending_, {});
        busy_ = true;
        lock.unlock();
        keepLatest(own_, taken);
        if (reloading) {
            // The server may have lost them (restarted) or never had them (written while down).
            reload();
            std::erase_if(own_,
                          [now = clock_.now()](const auto& own) { return own.second <= now; });
            taken = own_;
        }
        share(taken);
        lock.lock();
        busy_ = false;
        idle_.notify_all();
    }
}

void SharedBlocks::reload() {
    auto blocks = state_.blocks();
    if (!blocks.ok()) {
        load_fallbacks_.add(1);
        logger_.warn("shared_blocks_unloaded", {{"reason", blocks.status().message()}});
        return;
    }
    for (const sdk::AccountBlock& block : blocks.value()) {
        adopt(block);
    }
}

void SharedBlocks::share(const Blocks& blocks) {
    const sdk::TimePoint now = clock_.now();
    for (const auto& [account_id, until] : blocks) {
        if (until > now && !state_.shareBlock({account_id, until}).ok()) {
            share_fallbacks_.add(1);
        }
    }
}

}  // namespace sluice::core::runtime
