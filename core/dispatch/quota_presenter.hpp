#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/routing/pool_quota.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// What a Codex client is told of its quota (server.quota_view): the pool's view for the
/// caller's key, in place of the serving account's x-codex-* headers and codex.rate_limits
/// events, or, with `pool_view` off, the upstream's own numbers as they came. Thread-safe.
class QuotaPresenter final {
public:
    /// The caller's own token budget and use (its key policy's day and week budgets).
    using BudgetOf = std::function<routing::KeyBudget(const sdk::Principal& caller)>;

    struct Settings {
        bool pool_view = true;              ///< server.quota_view: pool
        std::chrono::milliseconds refresh;  ///< how long one pool's view is reused
    };

    QuotaPresenter(const routing::RoutingTable& routing, const sdk::Clock& clock, Settings settings,
                   BudgetOf budget_of)
        : routing_(routing), clock_(clock), settings_(settings), budget_of_(std::move(budget_of)) {}

    /// The view for a Pool API key's caller; none when the upstream's numbers pass as they are.
    std::optional<routing::PoolQuotaView> viewFor(const sdk::Principal& caller) const;
    /// The view of `pool` for `caller`: a Pool API key's share, or the pool's for an operator;
    /// none when the upstream's numbers pass as they are.
    std::optional<routing::PoolQuotaView> viewOf(const routing::PoolRoute& pool,
                                                 const sdk::Principal& caller) const;

    /// `headers` with every upstream quota header replaced by the view's.
    static void present(sdk::Headers& headers, const routing::PoolQuotaView& view);

private:
    /// The pool's view, reused for `settings_.refresh`: it visits every account of the pool,
    /// which busy answers need not repeat.
    routing::PoolQuotaView poolView(const routing::PoolRoute& pool, sdk::TimePoint now) const;

    struct Cached {
        routing::PoolQuotaView view;
        std::chrono::steady_clock::time_point at;
        const void* accounts = nullptr;  ///< the PoolRoute's account array it was built from
        std::uint64_t eligibility = 0;   ///< AccountState::eligibilityEpoch() before building
        std::uint64_t knowledge = 0;     ///< AccountState::knowledgeEpoch() before building
    };

    const routing::RoutingTable& routing_;
    const sdk::Clock& clock_;
    Settings settings_;
    BudgetOf budget_of_;
    mutable std::mutex cache_mutex_;
    mutable std::unordered_map<std::string, Cached> cache_;  ///< by pool name
};

/// Relays to `inner`, showing the caller the pool's quota: the answer's quota headers and its
/// codex.rate_limits events are replaced by the view as it is when each passes.
class PoolQuotaSink final : public sdk::DispatchSink {
public:
    PoolQuotaSink(sdk::DispatchSink& inner, const QuotaPresenter& presenter,
                  const sdk::Principal& caller)
        : inner_(inner), presenter_(presenter), caller_(caller) {}

    void onCommit(const sdk::UpstreamHead& head) noexcept override;
    bool onEvent(const sdk::SseEvent& event) noexcept override;
    bool onBody(std::string_view bytes) noexcept override { return inner_.onBody(bytes); }
    bool onIdle() noexcept override { return inner_.onIdle(); }

private:
    sdk::DispatchSink& inner_;
    const QuotaPresenter& presenter_;
    const sdk::Principal& caller_;
};

}  // namespace sluice::core::dispatch
