#include "core/routing/route_planner.hpp"

#include <algorithm>

#include "core/routing/stable_hash.hpp"

namespace sluice::core::routing {

namespace {

std::string untilText(sdk::TimePoint until) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(until.time_since_epoch()).count();
    return "until unix " + std::to_string(seconds);
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Fills in place: a Candidate is 160 bytes, built for every eligible account on every request.
void fillCandidate(sdk::Candidate& candidate, const RoutedAccount& account, sdk::TimePoint now) {
    candidate.id = account.id;
    candidate.label = account.label;
    candidate.id_hash = account.id_hash;
    candidate.weight = account.weight;
    candidate.priority = account.priority;
    candidate.labels = &account.labels;
    candidate.in_flight = account.state->in_flight.load(std::memory_order_relaxed);
    candidate.primary = account.state->primary(now);
    candidate.secondary = account.state->secondary(now);
    candidate.cooldown_until = account.state->demotedUntil();
    candidate.last_success = account.state->lastSuccess();
    candidate.ewma_latency_ms = account.state->ewmaLatencyMs();
}

}  // namespace

std::string_view RoutePlanner::continuityKey(const RouteQuery& query) {
    return !query.session_key.empty() ? std::string_view(query.session_key)
                                      : std::string_view(query.prompt_cache_key);
}

const char* accountConditionName(AccountCondition condition) noexcept {
    switch (condition) {
        case AccountCondition::Ready: return "ready";
        case AccountCondition::Paused: return "paused";
        case AccountCondition::Disabled: return "disabled";
        case AccountCondition::ReauthRequired: return "reauth_required";
        case AccountCondition::NoCredentials: return "no_credentials";
        case AccountCondition::TokenExpired: return "token_expired";
        case AccountCondition::UsageLimited: return "usage_limited";
        case AccountCondition::QuotaExhausted: return "quota_exhausted";
        case AccountCondition::CircuitOpen: return "circuit_open";
    }
    return "unknown";
}

AccountCondition RoutePlanner::conditionOf(const RoutedAccount& account, const RouteQuery& query,
                                           sdk::TimePoint now, std::chrono::steady_clock::time_point steady_now) {
    switch (account.status) {
        case sdk::AccountStatus::Paused: return AccountCondition::Paused;
        case sdk::AccountStatus::Disabled: return AccountCondition::Disabled;
        case sdk::AccountStatus::ReauthRequired: return AccountCondition::ReauthRequired;
        default: break;
    }
    if (account.access_token.empty()) {
        return AccountCondition::NoCredentials;
    }
    if (account.access_expires_at.time_since_epoch().count() != 0 && account.access_expires_at <= now) {
        return AccountCondition::TokenExpired;
    }
    if (account.state->blockedUntil() > now) {
        return AccountCondition::UsageLimited;
    }
    if (account.state->exhaustedUntil(now)) {
        return AccountCondition::QuotaExhausted;
    }
    if (!account.state->circuitAdmits(query.model, query.route_class, steady_now)) {
        return AccountCondition::CircuitOpen;
    }
    return AccountCondition::Ready;
}

std::string RoutePlanner::reasonFor(AccountCondition condition, const RoutedAccount& account,
                                    const RouteQuery& query, sdk::TimePoint now) {
    switch (condition) {
        case AccountCondition::Ready: return {};
        case AccountCondition::Paused: return "paused by an operator";
        case AccountCondition::Disabled: return "disabled";
        case AccountCondition::ReauthRequired: return "needs a new login (reauth_required)";
        case AccountCondition::NoCredentials: return account.credential_problem;
        case AccountCondition::TokenExpired: return "access token expired";
        case AccountCondition::UsageLimited: return "usage limit reached " + untilText(account.state->blockedUntil());
        case AccountCondition::QuotaExhausted:
            return "quota window used up " + untilText(account.state->exhaustedUntil(now).value_or(sdk::TimePoint{}));
        case AccountCondition::CircuitOpen:
            return "circuit open for " + (query.model.empty() ? std::string("this route") : query.model);
    }
    return {};
}

Eligibility RoutePlanner::assess(const RoutedAccount& account, const RouteQuery& query, sdk::TimePoint now) const {
    const AccountCondition condition = conditionOf(account, query, now, clock_.steadyNow());
    return {condition, reasonFor(condition, account, query, now)};
}

RoutePlan RoutePlanner::plan(const PoolRoute& pool, const RouteQuery& query,
                             const std::vector<std::string>& tried, std::uint32_t attempt,
                             std::size_t limit) const {
    RoutePlan plan;
    const sdk::TimePoint now = clock_.now();
    const auto steady_now = clock_.steadyNow();
    // One pass over the pool builds the strategy's candidates. Accounts are borrowed from the
    // pool, which outlives the plan: copying a shared_ptr per account per request costs two
    // atomic operations each, a hot spot with pools of thousands.
    std::vector<const RoutedAccountPtr*> eligible;
    std::vector<sdk::Candidate> candidates;
    eligible.reserve(pool.accounts.size());
    candidates.reserve(pool.accounts.size());
    for (const RoutedAccountPtr& account : pool.accounts) {
        if (!query.pinned_account.empty() && account->id != query.pinned_account) {
            continue;
        }
        if (const AccountCondition condition = conditionOf(*account, query, now, steady_now);
            condition != AccountCondition::Ready) {
            plan.excluded.push_back({account->id, account->label, reasonFor(condition, *account, query, now)});
        } else if (!contains(tried, account->id)) {
            eligible.push_back(&account);
            fillCandidate(candidates.emplace_back(), *account, now);
        }
    }
    plan.pinned = !query.pinned_account.empty();
    if (eligible.empty() || limit == 0 || pool.strategy == nullptr) {
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
    context.limit = std::min(limit, candidates.size());
    context.now = now;
    context.candidates = candidates.data();
    context.candidate_count = candidates.size();
    std::vector<std::uint32_t> picked;
    picked.reserve(context.limit);
    pool.strategy->order(context, picked);

    // The host keeps its promises even if a strategy does not: valid, distinct indices only.
    std::vector<bool> used(candidates.size(), false);
    std::vector<RoutedAccountPtr> ordered;
    for (const std::uint32_t index : picked) {
        if (index < candidates.size() && !used[index]) {
            used[index] = true;
            ordered.push_back(*eligible[index]);
        }
    }
    // Continuity first: the conversation's account leads while it is eligible.
    if (!plan.affinity_account.empty()) {
        const auto it = std::find_if(eligible.begin(), eligible.end(), [&](const RoutedAccountPtr* a) {
            return (*a)->id == plan.affinity_account;
        });
        if (it != eligible.end()) {
            ordered.erase(std::remove(ordered.begin(), ordered.end(), **it), ordered.end());
            ordered.insert(ordered.begin(), **it);
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
