#pragma once

#include <optional>

#include "sluice/sdk/exchange.hpp"

namespace sluice::core::admission {

/// Refuses a caller whose spending nothing covers any more (billing: an empty wallet) before
/// anything is sent upstream. Request thread; reads memory only, never blocks.
class SpendGate {
public:
    virtual ~SpendGate() = default;
    virtual std::optional<sdk::ErrorInfo> refusal(const sdk::Principal& caller) const noexcept = 0;
};

}  // namespace sluice::core::admission
