#include "core/runtime/shared_lock.hpp"

#include <utility>

namespace sluice::core::runtime {

SharedLock::SharedLock(sdk::SharedState* state, std::string name, std::chrono::milliseconds ttl)
    : state_(state), name_(std::move(name)), ttl_(ttl), outcome_(take()) {}

SharedLock::~SharedLock() {
    if (outcome_ == Outcome::Held) {
        state_->releaseLock(name_);
    }
}

SharedLock::Outcome SharedLock::retry() {
    if (outcome_ == Outcome::HeldByPeer) {
        outcome_ = take();
    }
    return outcome_;
}

SharedLock::Outcome SharedLock::take() {
    if (state_ == nullptr) {
        return Outcome::Unshared;
    }
    const auto taken = state_->tryLock(name_, ttl_);
    if (!taken.ok()) {
        return Outcome::Unshared;
    }
    return taken.value() ? Outcome::Held : Outcome::HeldByPeer;
}

}  // namespace sluice::core::runtime
