#pragma once

#include <string>

#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// Where the usage-limit blocks this replica observes are shared with the other replicas
/// (ADR 0012). Called on request threads: it queues the block and returns, the write happens
/// behind. Thread-safe.
class BlockMirror {
public:
    virtual ~BlockMirror() = default;
    /// This replica learned that `account_id` may not be used before `until`.
    virtual void blocked(const std::string& account_id, sdk::TimePoint until) noexcept = 0;
};

}  // namespace sluice::core::routing
