#include "core/dispatch/token_renewal.hpp"

namespace sluice::core::dispatch {

namespace {

bool ready(const std::shared_future<lifecycle::RefreshResult>& future) {
    return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

}  // namespace

void TokenRenewal::begin(const std::string& account_id) {
    std::shared_future<lifecycle::RefreshResult> started = start_(account_id);
    std::lock_guard lock(mutex_);
    running_[account_id] = std::move(started);
    count_.store(running_.size(), std::memory_order_release);
}

bool TokenRenewal::renewing(const std::string& account_id) {
    if (count_.load(std::memory_order_acquire) == 0) {
        return false;
    }
    std::lock_guard lock(mutex_);
    const auto it = running_.find(account_id);
    if (it == running_.end()) {
        return false;
    }
    if (!ready(it->second)) {
        return true;
    }
    running_.erase(it);
    count_.store(running_.size(), std::memory_order_release);
    return false;
}

routing::RoutedAccountPtr TokenRenewal::await(const std::string& account_id,
                                              std::chrono::steady_clock::time_point deadline) {
    std::shared_future<lifecycle::RefreshResult> future;
    {
        std::lock_guard lock(mutex_);
        const auto it = running_.find(account_id);
        if (it == running_.end()) {
            return nullptr;
        }
        future = it->second;
    }
    const auto left = deadline - clock_.steadyNow();
    if (left <= std::chrono::steady_clock::duration::zero() ||
        future.wait_for(left) != std::future_status::ready) {
        return nullptr;
    }
    try {
        const lifecycle::RefreshResult result = future.get();
        if (result != lifecycle::RefreshResult::Refreshed &&
            result != lifecycle::RefreshResult::ByPeer) {
            return nullptr;
        }
    } catch (const std::future_error&) {
        return nullptr;  // the upkeep stopped before it ran the refresh
    }
    routing::RoutedAccountPtr renewed = current_(account_id);
    return renewed != nullptr && !renewed->access_token.empty() ? renewed : nullptr;
}

}  // namespace sluice::core::dispatch
