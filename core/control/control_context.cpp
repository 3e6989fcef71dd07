#include "core/control/control_context.hpp"

#include "core/security/identifiers.hpp"

namespace sluice::core::control {

std::function<std::shared_ptr<const config::Pipeline>()> borrowedPipeline(
    const config::Pipeline& pipeline) {
    return [&pipeline] {
        return std::shared_ptr<const config::Pipeline>(std::shared_ptr<void>(), &pipeline);
    };
}

sdk::Status recordAudit(ControlContext& context, const Actor& actor, const std::string& action,
                        const std::string& target, const sdk::Status& outcome,
                        const std::string& details_json) {
    sdk::AuditRecord record;
    record.occurred_at = context.clock.now();
    record.id = security::newRecordId("aud", record.occurred_at);
    record.actor = actor;
    record.action = action;
    record.target = target;
    record.outcome = outcome.ok() ? "success" : "failure";
    record.details_json = details_json;
    return context.storage.audit().append(record);
}

sdk::Status notifyChange(ControlContext& context, sdk::Status status) {
    if (status.ok() && context.on_change) {
        context.on_change();
    }
    return status;
}

void notifyWalletChange(ControlContext& context, const sdk::Status& status) {
    if (status.ok() && context.on_wallet_change) {
        context.on_wallet_change();
    }
}

}  // namespace sluice::core::control
