#include "tests/support/fake_shared_state.hpp"

#include <algorithm>

namespace sluice::tests {

namespace {

const sdk::Status kDown{sdk::StatusCode::Unavailable, "shared state unreachable"};

}  // namespace

std::unique_ptr<FakeSharedState> FakeSharedServer::replica() {
    return std::make_unique<FakeSharedState>(*this);
}

void FakeSharedServer::setUp(bool up, bool forget) {
    std::vector<FakeSharedState*> started;
    {
        std::lock_guard guard(mutex_);
        up_ = up;
        if (forget) {
            bindings_.clear();
            blocks_.clear();
        }
        started = started_;
    }
    for (FakeSharedState* replica : started) {
        replica->listener()->onLinkChange(up, up ? "" : "Connection refused");
    }
}

std::optional<std::string> FakeSharedServer::binding(sdk::BindingKind kind, const std::string& pool,
                                                     const std::string& key) const {
    std::lock_guard guard(mutex_);
    const auto it = bindings_.find({kind, pool, key});
    return it == bindings_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::optional<sdk::TimePoint> FakeSharedServer::block(const std::string& account_id) const {
    std::lock_guard guard(mutex_);
    const auto it = blocks_.find(account_id);
    return it == blocks_.end() ? std::nullopt : std::optional<sdk::TimePoint>(it->second);
}

bool FakeSharedServer::up() const {
    std::lock_guard guard(mutex_);
    return up_;
}

void FakeSharedServer::attach(FakeSharedState& replica) {
    std::lock_guard guard(mutex_);
    started_.push_back(&replica);
}

void FakeSharedServer::detach(FakeSharedState& replica) {
    std::lock_guard guard(mutex_);
    started_.erase(std::remove(started_.begin(), started_.end(), &replica), started_.end());
}

void FakeSharedServer::store(const FakeSharedState& from, const sdk::AccountBinding& binding,
                             bool moved) {
    std::vector<FakeSharedState*> others;
    {
        std::lock_guard guard(mutex_);
        bindings_[{binding.kind, binding.pool, binding.key}] = binding.account_id;
        for (FakeSharedState* replica : started_) {
            if (moved && replica != &from) {
                others.push_back(replica);
            }
        }
    }
    for (FakeSharedState* replica : others) {
        if (auto* listener = dynamic_cast<sdk::SharedStateListenerV2*>(replica->listener())) {
            listener->onBinding(binding);
        }
    }
}

std::optional<std::string> FakeSharedServer::find(const Key& key) const {
    std::lock_guard guard(mutex_);
    const auto it = bindings_.find(key);
    return it == bindings_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

void FakeSharedServer::storeBlock(const FakeSharedState& from, const sdk::AccountBlock& block) {
    std::vector<FakeSharedState*> others;
    {
        std::lock_guard guard(mutex_);
        sdk::TimePoint& held = blocks_[block.account_id];
        if (held >= block.until) {
            return;
        }
        held = block.until;
        for (FakeSharedState* replica : started_) {
            if (replica != &from) {
                others.push_back(replica);
            }
        }
    }
    for (FakeSharedState* replica : others) {
        if (auto* listener = dynamic_cast<sdk::SharedStateListenerV3*>(replica->listener())) {
            listener->onBlock(block);
        }
    }
}

std::vector<sdk::AccountBlock> FakeSharedServer::blocks() const {
    std::lock_guard guard(mutex_);
    std::vector<sdk::AccountBlock> blocks;
    for (const auto& [account_id, until] : blocks_) {
        blocks.push_back({account_id, until});
    }
    return blocks;
}

sdk::Status FakeSharedState::announce(std::string_view) noexcept {
    return server_.up() ? sdk::Status{} : kDown;
}

sdk::Result<sdk::WindowSlot> FakeSharedState::takeWindowSlot(std::string_view, std::uint32_t,
                                                             std::chrono::milliseconds) noexcept {
    return sdk::Status{sdk::StatusCode::Unavailable, "windows are not modelled by the fake"};
}

sdk::Result<bool> FakeSharedServer::lock(const FakeSharedState& holder, std::string_view name) {
    std::lock_guard guard(mutex_);
    if (!up_) {
        return kDown;
    }
    return locks_.try_emplace(std::string(name), &holder).first->second == &holder;
}

void FakeSharedServer::unlock(const FakeSharedState& holder, std::string_view name) {
    std::lock_guard guard(mutex_);
    const auto held = locks_.find(name);
    if (held != locks_.end() && held->second == &holder) {
        locks_.erase(held);
    }
}

sdk::Result<bool> FakeSharedState::tryLock(std::string_view name,
                                           std::chrono::milliseconds) noexcept {
    return server_.lock(*this, name);
}

void FakeSharedState::releaseLock(std::string_view name) noexcept {
    server_.unlock(*this, name);
}

sdk::Status FakeSharedState::shareBinding(const sdk::AccountBinding& binding,
                                          sdk::BindingChange change) noexcept {
    if (!server_.up()) {
        return kDown;
    }
    server_.store(*this, binding, change == sdk::BindingChange::Moved);
    return {};
}

sdk::Result<std::optional<std::string>> FakeSharedState::findBinding(
    sdk::BindingKind kind, std::string_view pool, std::string_view key) noexcept {
    if (!server_.up()) {
        return kDown;
    }
    return server_.find({kind, std::string(pool), std::string(key)});
}

sdk::Status FakeSharedState::shareBlock(const sdk::AccountBlock& block) noexcept {
    if (!server_.up()) {
        return kDown;
    }
    server_.storeBlock(*this, block);
    return {};
}

sdk::Result<std::vector<sdk::AccountBlock>> FakeSharedState::blocks() noexcept {
    if (!server_.up()) {
        return kDown;
    }
    return server_.blocks();
}

void FakeSharedState::start(sdk::SharedStateListener& listener) {
    listener_ = &listener;
    server_.attach(*this);
    listener.onLinkChange(server_.up(), server_.up() ? "" : "Connection refused");
}

void FakeSharedState::stop() noexcept {
    if (listener_ != nullptr) {
        server_.detach(*this);
        listener_ = nullptr;
    }
}

}  // namespace sluice::tests
