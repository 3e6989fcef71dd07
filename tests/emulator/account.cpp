#include "tests/emulator/account.hpp"

#include <utility>

namespace sluice::emulator {

Account::Account(AccountSpec spec) : id_(spec.id) {
    faults_.assign(spec.faults.begin(), spec.faults.end());
    has_faults_.store(!faults_.empty());
    spec.faults.clear();
    profile_ = std::make_shared<const AccountSpec>(std::move(spec));
}

std::shared_ptr<const AccountSpec> Account::profile() const {
    std::lock_guard lock(mutex_);
    return profile_;
}

template <typename Mutate>
void Account::updateProfile(Mutate&& mutate) {
    std::lock_guard lock(mutex_);
    auto copy = std::make_shared<AccountSpec>(*profile_);
    mutate(*copy);
    profile_ = std::move(copy);
}

void Account::setBehaviour(Behaviour behaviour) {
    updateProfile([&](AccountSpec& spec) { spec.behaviour = std::move(behaviour); });
}

void Account::setRateLimits(RateLimits limits) {
    updateProfile([&](AccountSpec& spec) { spec.rate_limits = std::move(limits); });
}

void Account::setOAuth(OAuthBehaviour oauth) {
    updateProfile([&](AccountSpec& spec) { spec.oauth = oauth; });
}

void Account::setUploads(UploadBehaviour uploads) {
    updateProfile([&](AccountSpec& spec) { spec.uploads = uploads; });
}

void Account::setWebsocket(bool accept) {
    updateProfile([&](AccountSpec& spec) { spec.websocket = accept; });
}

void Account::setPlanType(std::string plan_type) {
    updateProfile([&](AccountSpec& spec) { spec.plan_type = std::move(plan_type); });
}

Behaviour Account::takeBehaviour(const AccountSpec& profile) {
    if (!has_faults_.load(std::memory_order_acquire))
        return profile.behaviour;
    std::lock_guard lock(mutex_);
    if (faults_.empty())
        return profile.behaviour;
    auto& head = faults_.front();
    Behaviour behaviour = head.behaviour;
    if (--head.count <= 0)
        faults_.pop_front();
    has_faults_.store(!faults_.empty(), std::memory_order_release);
    return behaviour;
}

void Account::addFaults(std::vector<Fault> faults) {
    std::lock_guard lock(mutex_);
    for (auto& fault : faults)
        faults_.push_back(std::move(fault));
    has_faults_.store(!faults_.empty(), std::memory_order_release);
}

void Account::clearFaults() {
    std::lock_guard lock(mutex_);
    faults_.clear();
    has_faults_.store(false, std::memory_order_release);
}

std::vector<Fault> Account::pendingFaults() const {
    std::lock_guard lock(mutex_);
    return {faults_.begin(), faults_.end()};
}

OAuthBehaviour Account::takeOAuth() {
    std::lock_guard lock(mutex_);
    OAuthBehaviour current = profile_->oauth;
    if (current.mode != OAuthMode::kNormal && current.count > 0) {
        // A counted failure: after the last one the account refreshes normally again.
        auto copy = std::make_shared<AccountSpec>(*profile_);
        if (--copy->oauth.count == 0)
            copy->oauth.mode = OAuthMode::kNormal;
        profile_ = std::move(copy);
    }
    return current;
}

AccountTokens Account::tokens() const {
    std::lock_guard lock(mutex_);
    return tokens_;
}

void Account::setTokens(AccountTokens tokens) {
    std::lock_guard lock(mutex_);
    tokens_ = std::move(tokens);
}

}  // namespace sluice::emulator
