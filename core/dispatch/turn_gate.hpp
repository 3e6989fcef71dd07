#pragma once

#include <optional>
#include <string>

#include "core/dispatch/response_completion.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::dispatch {

/// Admits each turn a websocket client starts, as HTTP requests are admitted one by one.
class TurnGate {
public:
    virtual ~TurnGate() = default;

    /// A client `response.create` frame, which may be rewritten in place. A refusal is sent to
    /// the client as an `error` event instead of forwarding the frame.
    virtual std::optional<sdk::ErrorInfo> open(std::string& payload) = 0;
    /// The oldest open turn ended (completed, failed or errored): its response id, when the
    /// upstream named one, and its usage.
    virtual void close(const ResponseCompletion& turn) = 0;
};

}  // namespace sluice::core::dispatch
