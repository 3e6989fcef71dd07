#include "core/routing/route_planner.hpp"

#include <algorithm>

#include "core/routing/stable_hash.hpp"

namespace sluice::core::routing {

namespace {

void fillLive(sdk::Candidate& candidate, const AccountState& state, sdk::LiveFields live,
              sdk::TimePoint now) {
    if (live.in_flight) {
        candidate.in_flight = state.in_flight.load(std::memory_order_relaxed);
    }
    if (live.quota) {
        candidate.primary = state.primary(now);
        candidate.secondary = state.secondary(now);
    }
    if (live.last_success) {
        candidate.last_success = state.lastSuccess();
    }
    if (live.ewma_latency) {
        candidate.ewma_latency_ms = state.ewmaLatencyMs();
    }
}

/// What this request offers the strategy out of the pool's eligible set. In the common case
/// (no pin, nothing tried, no circuit refusing, a strategy that reads no live field) that is the
/// set's own candidate array, untouched; otherwise a copy of the offered part.
class Offer {
public:
    Offer(const EligibleSet& set, std::string_view pinned, std::vector<std::uint32_t> left_out,
          sdk::TimePoint now)
        : set_(set) {
        std::sort(left_out.begin(), left_out.end());
        const auto isLeftOut = [&](std::uint32_t position) {
            return std::binary_search(left_out.begin(), left_out.end(), position);
        };
        if (pinned.empty() && left_out.empty() && !set.live_fields.any()) {
            return;
        }
        narrowed_ = true;
        if (!pinned.empty()) {
            const auto it = set.position.find(pinned);
            if (it != set.position.end() && !isLeftOut(it->second)) {
                positions_.push_back(it->second);
            }
        } else {
            positions_.reserve(set.accounts.size());
            for (std::uint32_t position = 0; position < set.accounts.size(); ++position) {
                if (!isLeftOut(position)) {
                    positions_.push_back(position);
                }
            }
        }
        copies_.reserve(positions_.size());
        for (const std::uint32_t position : positions_) {
            fillLive(copies_.emplace_back(set.candidates[position]), *set.accounts[position]->state,
                     set.live_fields, now);
        }
    }

    const sdk::Candidate* candidates() const {
        return narrowed_ ? copies_.data() : set_.candidates.data();
    }
    std::size_t size() const { return narrowed_ ? copies_.size() : set_.candidates.size(); }
    const RoutedAccountPtr& account(std::uint32_t index) const {
        return set_.accounts[narrowed_ ? positions_[index] : index];
    }
    /// The offered account with this id, if there is one.
    const RoutedAccountPtr* find(std::string_view id) const {
        const auto it = set_.position.find(id);
        if (it == set_.position.end() ||
            (narrowed_ && !std::binary_search(positions_.begin(), positions_.end(), it->second))) {
            return nullptr;
        }
        return &set_.accounts[it->second];
    }

private:
    const EligibleSet& set_;
    bool narrowed_ = false;
    std::vector<std::uint32_t> positions_;  ///< ascending, when narrowed
    std::vector<sdk::Candidate> copies_;    ///< parallel to positions_
};

// The wall-clock time an open circuit admits its probe; max() while a half-open probe is out.
sdk::TimePoint probeAt(const RoutedAccount& account, const RouteQuery& query, sdk::TimePoint now,
                       std::chrono::steady_clock::time_point steady_now) {
    const auto reopens = account.state->circuitReopensAt(query.model, query.route_class);
    if (!reopens) {
        return sdk::TimePoint::max();
    }
    return now + std::chrono::duration_cast<sdk::TimePoint::duration>(*reopens - steady_now);
}

}  // namespace

std::string_view RoutePlanner::continuityKey(const RouteQuery& query) {
    return !query.session_key.empty() ? std::string_view(query.session_key)
                                      : std::string_view(query.prompt_cache_key);
}

Eligibility RoutePlanner::assess(const RoutedAccount& account, const RouteQuery& query,
                                 sdk::TimePoint now) const {
    AccountCondition condition = standingOf(account, now);
    if (condition == AccountCondition::Ready &&
        !account.state->circuitAdmits(query.model, query.route_class, clock_.steadyNow())) {
        condition = AccountCondition::CircuitOpen;
    }
    return {condition, reasonFor(condition, account, query.model, now)};
}

std::vector<std::uint32_t> RoutePlanner::leftOut(const EligibleSet& set, const RouteQuery& query,
                                                 const std::vector<std::string>& tried,
                                                 RoutePlan& plan, sdk::TimePoint now) const {
    const auto concerns = [&](std::string_view id) {
        return !plan.pinned || id == query.pinned_account;
    };
    for (const Exclusion& exclusion : set.excluded) {
        if (concerns(exclusion.account_id)) {
            plan.excluded.push_back(exclusion);
        }
    }
    std::vector<std::uint32_t> positions;
    const auto steady_now = set.with_open_circuits.empty() ? std::chrono::steady_clock::time_point{}
                                                           : clock_.steadyNow();
    for (const std::uint32_t position : set.with_open_circuits) {
        const RoutedAccount& account = *set.accounts[position];
        if (account.state->circuitAdmits(query.model, query.route_class, steady_now)) {
            continue;
        }
        positions.push_back(position);
        if (concerns(account.id)) {
            plan.excluded.push_back(
                {account.id, account.label,
                 reasonFor(AccountCondition::CircuitOpen, account, query.model, now),
                 probeAt(account, query, now, steady_now)});
        }
    }
    for (const std::string& id : tried) {
        if (const auto it = set.position.find(id); it != set.position.end()) {
            positions.push_back(it->second);
        }
    }
    return positions;
}

RoutePlan RoutePlanner::plan(const PoolRoute& pool, const RouteQuery& query,
                             const std::vector<std::string>& tried, std::uint32_t attempt,
                             std::size_t limit) const {
    RoutePlan plan;
    plan.pinned = !query.pinned_account.empty();
    const sdk::TimePoint now = clock_.now();
    const std::shared_ptr<const EligibleSet> set = pool.eligible->current(pool, now);
    plan.epoch = set->epoch;
    const Offer offer(*set, query.pinned_account, leftOut(*set, query, tried, plan, now), now);
    if (offer.size() == 0 || limit == 0 || pool.strategy == nullptr) {
        return plan;
    }

    const std::string_view continuity = continuityKey(query);
    if (!continuity.empty() && pool.pool.sticky_sessions) {
        plan.affinity_account = affinities_.lookup(pool.pool.name, continuity, now).value_or("");
    }

    sdk::PickContext context;
    context.pool = pool.pool.name;
    context.model = query.model;
    context.route_class = sdk::routeClassName(query.route_class);
    context.has_affinity_seed = !continuity.empty();
    context.affinity_seed = context.has_affinity_seed ? stableHash64(continuity) : 0;
    context.attempt = attempt;
    context.limit = std::min(limit, offer.size());
    context.now = now;
    context.candidates = offer.candidates();
    context.candidate_count = offer.size();
    std::vector<std::uint32_t> picked;
    picked.reserve(context.limit);
    pool.strategy->order(context, picked);

    // The host keeps its promises even if a strategy does not: valid, distinct indices only.
    std::vector<RoutedAccountPtr> ordered;
    ordered.reserve(context.limit + 1);
    for (const std::uint32_t index : picked) {
        if (ordered.size() == context.limit) {
            break;
        }
        if (index < offer.size()) {
            const RoutedAccountPtr& account = offer.account(index);
            if (std::find(ordered.begin(), ordered.end(), account) == ordered.end()) {
                ordered.push_back(account);
            }
        }
    }
    // Continuity first: the conversation's account leads while it is eligible.
    if (!plan.affinity_account.empty()) {
        if (const RoutedAccountPtr* account = offer.find(plan.affinity_account)) {
            ordered.erase(std::remove(ordered.begin(), ordered.end(), *account), ordered.end());
            ordered.insert(ordered.begin(), *account);
        }
    }
    // Recently failed accounts go last, keeping the strategy's order otherwise.
    std::stable_partition(ordered.begin(), ordered.end(), [&](const RoutedAccountPtr& a) {
        return a->state->demotedUntil() <= now || a->id == plan.affinity_account;
    });
    if (ordered.size() > limit) {
        ordered.resize(limit);
    }
    plan.order = std::move(ordered);
    return plan;
}

}  // namespace sluice::core::routing
