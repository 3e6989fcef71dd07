#pragma once

#include <chrono>
#include <string>

#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::runtime {

/// A lock across replicas (ADR 0012), released when this object goes. Without shared state, or
/// while it cannot be reached, the replicas cannot agree, so the caller goes on alone
/// (`Unshared`); only `HeldByPeer` means another replica is doing the work now.
class SharedLock final {
public:
    enum class Outcome { Held, HeldByPeer, Unshared };

    /// Tries once; `state` may be null.
    SharedLock(sdk::SharedState* state, std::string name, std::chrono::milliseconds ttl);
    ~SharedLock();
    SharedLock(const SharedLock&) = delete;
    SharedLock& operator=(const SharedLock&) = delete;

    /// Tries again while a peer holds it; answers the new outcome.
    Outcome retry();
    Outcome outcome() const noexcept { return outcome_; }

private:
    Outcome take();

    sdk::SharedState* state_;
    const std::string name_;
    const std::chrono::milliseconds ttl_;
    Outcome outcome_;
};

}  // namespace sluice::core::runtime
