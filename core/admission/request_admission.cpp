#include "core/admission/request_admission.hpp"

#include "core/admission/model_policy.hpp"
#include "core/upstream/json_scan.hpp"

namespace sluice::core::admission {

namespace {

// Model rules for a request naming a model; a refusal is counted like the other limits.
ModelFit fitRequestModel(AdmissionController& controller, const KeyPolicy& policy,
                         std::string_view model, std::string_view body) {
    if (model.empty() || !policy.limitsModels()) {
        return {std::nullopt, std::nullopt, std::string(model)};
    }
    ModelFit fit = fitModel(policy, model, body);
    if (fit.refusal) {
        controller.countRefusal("model_not_allowed");
    }
    return fit;
}

}  // namespace

std::variant<AdmittedRequest, sdk::ErrorInfo> admitRequest(AdmissionController& controller,
                                                           const sdk::Principal& caller,
                                                           const sdk::DispatchRequest& request,
                                                           bool counts_request) {
    auto policy = controller.policyOf(caller);
    if (auto* refusal = std::get_if<sdk::ErrorInfo>(&policy)) {
        return std::move(*refusal);
    }
    if (auto refusal = controller.spendRefusal(caller)) {
        return std::move(*refusal);
    }
    AdmittedRequest admitted;
    admitted.policy = std::get<std::shared_ptr<const KeyPolicy>>(std::move(policy));
    admitted.model = request.model;
    if (!admitted.policy) {
        return admitted;
    }
    const bool websocket = request.route_class == sdk::RouteClass::ProxyWebsocket;
    if (!websocket) {
        ModelFit fit = fitRequestModel(controller, *admitted.policy, request.model, request.body);
        if (fit.refusal) {
            return std::move(*fit.refusal);
        }
        admitted.body = std::move(fit.body);
        admitted.model = std::move(fit.model);
    }
    AdmissionRequest shape;
    shape.counts_request = counts_request && !websocket;
    shape.uses_tokens = !websocket && !request.model.empty();
    shape.input_bytes = admitted.body ? admitted.body->size() : request.body.size();
    auto ticket = controller.admit(caller, *admitted.policy, shape);
    if (auto* refusal = std::get_if<sdk::ErrorInfo>(&ticket)) {
        return std::move(*refusal);
    }
    admitted.ticket = std::get<AdmissionTicket>(std::move(ticket));
    return admitted;
}

std::optional<sdk::ErrorInfo> WebSocketTurns::open(std::string& payload) {
    if (auto refusal = controller_.spendRefusal(caller_)) {
        return refusal;
    }
    if (!policy_) {
        return std::nullopt;
    }
    const std::string model(upstream::topLevelString(payload, "model").value_or(""));
    ModelFit fit = fitRequestModel(controller_, *policy_, model, payload);
    if (fit.refusal) {
        return fit.refusal;
    }
    if (fit.body) {
        payload = std::move(*fit.body);
    }
    // A prewarm (`"generate": false`) only opens the conversation: it is neither a request nor
    // a token spend worth counting.
    const bool prewarm = upstream::topLevelLiteral(payload, "generate") == "false";
    AdmissionRequest shape;
    shape.opens_stream = false;  // the connection holds the stream slot
    shape.counts_request = !prewarm;
    shape.uses_tokens = !prewarm;
    shape.input_bytes = payload.size();
    auto ticket = controller_.admit(caller_, *policy_, shape);
    if (auto* refusal = std::get_if<sdk::ErrorInfo>(&ticket)) {
        return std::move(*refusal);
    }
    open_turns_.push_back(std::get<AdmissionTicket>(std::move(ticket)));
    return std::nullopt;
}

void WebSocketTurns::close(const dispatch::ResponseCompletion& turn) {
    if (open_turns_.empty()) {
        return;
    }
    open_turns_.front().settle(turn.usage);
    open_turns_.pop_front();
}

}  // namespace sluice::core::admission
