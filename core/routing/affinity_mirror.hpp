#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::core::routing {

/// Where an AffinityTable's bindings are shared with the other replicas (ADR 0012). Each call
/// waits at most the shared state's call budget and fails at once while its link is down.
/// Thread-safe.
class AffinityMirror {
public:
    virtual ~AffinityMirror() = default;
    /// Counts the link's comings up, 0 before the first: an entry confirmed under another
    /// generation is checked against the replicas again on its next use.
    virtual std::uint64_t generation() const noexcept = 0;
    /// The account the replicas bound `key` of `pool` to, nullopt when none; an error when the
    /// shared state could not answer (the table then keeps to what it knows).
    virtual sdk::Result<std::optional<std::string>> find(std::string_view pool,
                                                         std::string_view key) = 0;
    /// Stores the binding for the table's time to live, telling the replicas when `moved` (a new
    /// key or another account); false when it could not be stored.
    virtual bool share(std::string_view pool, std::string_view key, const std::string& account_id,
                       bool moved) = 0;
};

}  // namespace sluice::core::routing
