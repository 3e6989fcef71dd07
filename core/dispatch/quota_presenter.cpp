#include "core/dispatch/quota_presenter.hpp"

#include <algorithm>

namespace sluice::core::dispatch {

std::optional<routing::PoolQuotaView> QuotaPresenter::viewFor(const sdk::Principal& caller) const {
    if (!settings_.pool_view || caller.kind != sdk::CredentialKind::PoolKey) {
        return std::nullopt;
    }
    const routing::RoutingSnapshotPtr snapshot = routing_.snapshot();
    const routing::PoolRoute* pool = snapshot->pool(caller.pool);
    return pool != nullptr ? viewOf(*pool, caller) : std::nullopt;
}

std::optional<routing::PoolQuotaView> QuotaPresenter::viewOf(const routing::PoolRoute& pool,
                                                             const sdk::Principal& caller) const {
    if (!settings_.pool_view) {
        return std::nullopt;
    }
    const sdk::TimePoint now = clock_.now();
    routing::PoolQuotaView view = poolView(pool, now);
    if (caller.kind == sdk::CredentialKind::PoolKey) {
        routing::applyKeyBudget(view, budget_of_(caller), now);
    }
    return view;
}

routing::PoolQuotaView QuotaPresenter::poolView(const routing::PoolRoute& pool,
                                                sdk::TimePoint now) const {
    if (settings_.refresh.count() <= 0) {
        return routing::poolQuota(pool, now);
    }
    // Reused while young, unless an account became eligible or not, or a window became known:
    // those change what the view says at once, the usage moving within a window does not.
    const auto steady_now = clock_.steadyNow();
    const std::uint64_t eligibility = routing::AccountState::eligibilityEpoch();
    const std::uint64_t knowledge = routing::AccountState::knowledgeEpoch();
    {
        std::lock_guard lock(cache_mutex_);
        const auto it = cache_.find(pool.pool.name);
        if (it != cache_.end() && it->second.accounts == pool.accounts.data() &&
            it->second.eligibility == eligibility && it->second.knowledge == knowledge &&
            steady_now - it->second.at < settings_.refresh) {
            return it->second.view;
        }
    }
    routing::PoolQuotaView view = routing::poolQuota(pool, now);
    std::lock_guard lock(cache_mutex_);
    cache_[pool.pool.name] = Cached{view, steady_now, pool.accounts.data(), eligibility, knowledge};
    return view;
}

void QuotaPresenter::present(sdk::Headers& headers, const routing::PoolQuotaView& view) {
    std::erase_if(headers,
                  [](const sdk::Header& header) { return routing::isQuotaHeader(header.name); });
    for (sdk::Header& header : routing::quotaHeaders(view)) {
        headers.push_back(std::move(header));
    }
}

void PoolQuotaSink::onCommit(const sdk::UpstreamHead& head) noexcept {
    try {
        if (const auto view = presenter_.viewFor(caller_)) {
            sdk::UpstreamHead shown = head;
            QuotaPresenter::present(shown.headers, *view);
            inner_.onCommit(shown);
            return;
        }
    } catch (const std::exception&) {
        // Out of memory building the view: the answer goes as the upstream sent it.
    }
    inner_.onCommit(head);
}

bool PoolQuotaSink::onEvent(const sdk::SseEvent& event) noexcept {
    if (event.type != "codex.rate_limits") {
        return inner_.onEvent(event);
    }
    try {
        if (const auto view = presenter_.viewFor(caller_)) {
            const std::string data = routing::rateLimitsEvent(*view);
            const std::string raw = "event: codex.rate_limits\ndata: " + data + "\n\n";
            return inner_.onEvent({event.type, data, raw});
        }
    } catch (const std::exception&) {
        // As above: the event passes as it came.
    }
    return inner_.onEvent(event);
}

}  // namespace sluice::core::dispatch
