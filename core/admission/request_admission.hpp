#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "core/admission/admission_controller.hpp"
#include "core/dispatch/turn_gate.hpp"

namespace sluice::core::admission {

/// A request that passed its key's policy, and the body it must be sent with.
struct AdmittedRequest {
    AdmissionTicket ticket;
    std::optional<std::string> body;  ///< rewritten by the model rules; otherwise send the original
    std::string model;                ///< the model it will use
    std::shared_ptr<const KeyPolicy> policy;  ///< null: the key has no limits
};

/// Applies the caller's policy to one upstream dispatch: model rules first, then the counters.
/// `counts_request` is false for the second and later dispatches a route family makes for the
/// same client request (a catalog lookup, upload steps): requests per minute counts clients'
/// requests. A websocket upgrade takes only a stream slot; its turns are admitted by
/// WebSocketTurns.
std::variant<AdmittedRequest, sdk::ErrorInfo> admitRequest(AdmissionController& controller,
                                                           const sdk::Principal& caller,
                                                           const sdk::DispatchRequest& request,
                                                           bool counts_request);

/// Admits each turn of one websocket connection like an HTTP request (prewarm turns, which
/// generate nothing, pass the model rules only) and charges it when it ends.
class WebSocketTurns final : public dispatch::TurnGate {
public:
    WebSocketTurns(AdmissionController& controller, const sdk::Principal& caller,
                   std::shared_ptr<const KeyPolicy> policy)
        : controller_(controller), caller_(caller), policy_(std::move(policy)) {}

    std::optional<sdk::ErrorInfo> open(std::string& payload) override;
    void close(const dispatch::ResponseCompletion& turn) override;

private:
    AdmissionController& controller_;
    const sdk::Principal& caller_;
    std::shared_ptr<const KeyPolicy> policy_;
    std::deque<AdmissionTicket> open_turns_;
};

}  // namespace sluice::core::admission
