#include "core/routing/eligible_set.hpp"

#include <algorithm>

#include "core/routing/routing_table.hpp"

namespace sluice::core::routing {

namespace {

std::string untilText(sdk::TimePoint until) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(until.time_since_epoch()).count();
    return "until unix " + std::to_string(seconds);
}

// When the access token expires; max() when it does not say.
sdk::TimePoint tokenExpiresAt(const RoutedAccount& account) noexcept {
    return account.access_expires_at.time_since_epoch().count() != 0 ? account.access_expires_at
                                                                     : sdk::TimePoint::max();
}

// When `condition` can end (or, for a ready account, begin) without an account-state event.
sdk::TimePoint lapsesAt(AccountCondition condition, const RoutedAccount& account,
                        sdk::TimePoint now) {
    switch (condition) {
        case AccountCondition::Ready:
            return tokenExpiresAt(account);
        case AccountCondition::UsageLimited:
            return account.state->blockedUntil();
        case AccountCondition::QuotaExhausted:
            return account.state->exhaustionLapsesAt(now);
        default:
            return sdk::TimePoint::max();  // until the directory changes
    }
}

sdk::LiveFields liveFieldsOf(const sdk::RoutingStrategy* strategy) {
    const auto* declared = dynamic_cast<const sdk::ReadsLiveFields*>(strategy);
    return declared != nullptr ? declared->liveFields() : sdk::kAllLiveFields;
}

// The fields that only account-state events or the directory change.
void fillStable(sdk::Candidate& candidate, const RoutedAccount& account) {
    candidate.id = account.id;
    candidate.label = account.label;
    candidate.id_hash = account.id_hash;
    candidate.weight = account.weight;
    candidate.priority = account.priority;
    candidate.labels = &account.labels;
    candidate.cooldown_until = account.state->demotedUntil();
}

}  // namespace

const char* accountConditionName(AccountCondition condition) noexcept {
    switch (condition) {
        case AccountCondition::Ready:
            return "ready";
        case AccountCondition::Paused:
            return "paused";
        case AccountCondition::Disabled:
            return "disabled";
        case AccountCondition::ReauthRequired:
            return "reauth_required";
        case AccountCondition::NoCredentials:
            return "no_credentials";
        case AccountCondition::TokenExpired:
            return "token_expired";
        case AccountCondition::UsageLimited:
            return "usage_limited";
        case AccountCondition::QuotaExhausted:
            return "quota_exhausted";
        case AccountCondition::CircuitOpen:
            return "circuit_open";
    }
    return "unknown";
}

AccountCondition standingOf(const RoutedAccount& account, sdk::TimePoint now) noexcept {
    switch (account.status) {
        case sdk::AccountStatus::Paused:
            return AccountCondition::Paused;
        case sdk::AccountStatus::Disabled:
            return AccountCondition::Disabled;
        case sdk::AccountStatus::ReauthRequired:
            return AccountCondition::ReauthRequired;
        default:
            break;
    }
    if (account.access_token.empty()) {
        return AccountCondition::NoCredentials;
    }
    if (tokenExpiresAt(account) <= now) {
        return AccountCondition::TokenExpired;
    }
    if (account.state->blockedUntil() > now) {
        return AccountCondition::UsageLimited;
    }
    if (account.state->exhaustedUntil(now)) {
        return AccountCondition::QuotaExhausted;
    }
    return AccountCondition::Ready;
}

std::string reasonFor(AccountCondition condition, const RoutedAccount& account,
                      std::string_view model, sdk::TimePoint now) {
    switch (condition) {
        case AccountCondition::Ready:
            return {};
        case AccountCondition::Paused:
            return "paused by an operator";
        case AccountCondition::Disabled:
            return "disabled";
        case AccountCondition::ReauthRequired:
            return "needs a new login (reauth_required)";
        case AccountCondition::NoCredentials:
            return account.credential_problem;
        case AccountCondition::TokenExpired:
            return "access token expired";
        case AccountCondition::UsageLimited:
            return "usage limit reached " + untilText(account.state->blockedUntil());
        case AccountCondition::QuotaExhausted:
            return "quota window used up " +
                   untilText(account.state->exhaustedUntil(now).value_or(sdk::TimePoint{}));
        case AccountCondition::CircuitOpen:
            return "circuit open for " +
                   (model.empty() ? std::string("this route") : std::string(model));
    }
    return {};
}

std::optional<sdk::TimePoint> earliestEligible(const std::vector<Exclusion>& excluded) noexcept {
    sdk::TimePoint earliest = sdk::TimePoint::max();
    for (const Exclusion& exclusion : excluded) {
        earliest = std::min(earliest, exclusion.eligible_at);
    }
    return earliest == sdk::TimePoint::max() ? std::nullopt : std::optional(earliest);
}

std::int64_t retryAfterSeconds(std::optional<sdk::TimePoint> at, sdk::TimePoint now) noexcept {
    if (!at) {
        return 0;
    }
    return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(*at - now).count());
}

EligibleSet::Source EligibleSet::sourceOf(const PoolRoute& pool) noexcept {
    return {pool.accounts.data(), pool.accounts.size(), pool.strategy.get()};
}

EligibleSet EligibleSet::build(const PoolRoute& pool, sdk::TimePoint now) {
    EligibleSet set;
    set.epoch = AccountState::eligibilityEpoch();  // before any state is read
    set.source = sourceOf(pool);
    set.live_fields = liveFieldsOf(pool.strategy.get());
    set.accounts.reserve(pool.accounts.size());
    set.candidates.reserve(pool.accounts.size());
    set.position.reserve(pool.accounts.size());
    for (const RoutedAccountPtr& account : pool.accounts) {
        const AccountCondition condition = standingOf(*account, now);
        set.valid_until = std::min(set.valid_until, lapsesAt(condition, *account, now));
        if (condition != AccountCondition::Ready) {
            set.excluded.push_back({account->id, account->label,
                                    reasonFor(condition, *account, {}, now),
                                    lapsesAt(condition, *account, now),
                                    condition == AccountCondition::UsageLimited ||
                                        condition == AccountCondition::QuotaExhausted});
            continue;
        }
        const auto position = static_cast<std::uint32_t>(set.accounts.size());
        set.accounts.push_back(account);
        fillStable(set.candidates.emplace_back(), *account);
        set.position.emplace(account->id, position);
        if (account->state->anyCircuitNotClosed()) {
            set.with_open_circuits.push_back(position);
        }
    }
    return set;
}

std::shared_ptr<const EligibleSet> EligibleSetCache::current(const PoolRoute& pool,
                                                             sdk::TimePoint now) {
    const auto fresh = [&](const std::shared_ptr<const EligibleSet>& set) {
        return set && set->epoch == AccountState::eligibilityEpoch() && now < set->valid_until &&
               set->source == EligibleSet::sourceOf(pool);
    };
    if (auto set = current_.load(); fresh(set)) {
        return set;
    }
    // One request at a time publishes a rebuilt set. Requests that find another one rebuilding
    // build their own rather than wait: under a storm of events (every failure moves the epoch)
    // waiting would serialise all request threads on this lock.
    std::unique_lock lock(rebuild_mutex_, std::try_to_lock);
    auto set = std::make_shared<const EligibleSet>(EligibleSet::build(pool, now));
    if (lock.owns_lock()) {
        current_.store(set);
    }
    return set;
}

}  // namespace sluice::core::routing
