#pragma once

// For route families whose work spends later, through the gateway's own model routes (a runner
// run, an app-server turn): the empty-wallet refusal up front, so the family answers it in its
// own dialect instead of the client seeing only Codex fail on the inner model call's 402.

#include <optional>

#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::common {

/// The refusal (402 `insufficient_quota`) a model request of the caller would get now because
/// its key's wallet is empty (operation `wallet.preflight`, memory only); nullopt when it may
/// spend, its key is linked to no wallet, or the caller is no Pool key (the model call's own
/// preflight still applies). Request thread.
std::optional<sdk::ErrorInfo> walletRefusal(sdk::Gateway& gateway);

}  // namespace sluice::plugins::common
