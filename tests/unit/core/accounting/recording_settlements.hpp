#pragma once

#include <vector>

#include "core/accounting/request_ledger.hpp"

namespace sluice::core::accounting::testing {

/// Keeps every settled request a ledger hands on.
class RecordingSink final : public SettledRequests {
public:
    void submit(SettledRequest settled) override { settled_.push_back(std::move(settled)); }
    std::vector<SettledRequest> settled_;
};

/// Keeps every charge a ledger starts.
class RecordingCharges final : public SettledCharges {
public:
    void charge(const SettledRequest& settled) noexcept override { charged_.push_back(settled); }
    std::vector<SettledRequest> charged_;
};

}  // namespace sluice::core::accounting::testing
