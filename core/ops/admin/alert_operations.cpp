#include "core/observability/alerts/alert_board.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::admin {

namespace {

namespace alerts = observability::alerts;

json alertSchema() {
    std::vector<std::string> rules;
    for (std::size_t i = 0; i < alerts::kRules; ++i) {
        rules.emplace_back(alerts::ruleName(static_cast<alerts::Rule>(i)));
    }
    return s::shape(
        {{"id", s::text("<rule>:<subject>, stable while the condition lasts")},
         {"rule", s::oneOf("what the alert is about", rules)},
         {"severity", s::oneOf("how urgent", {"warning", "critical"})},
         {"subject", s::text("the account id, pool (and window), storage or shared_state")},
         {"summary", s::text("one line for people")},
         {"phase", s::oneOf("firing, or resolved in the last hour", {"firing", "resolved"})},
         {"since", views::timeSchema("when it fired")},
         {"resolved_at", views::timeSchema("when it resolved; null while firing")},
         {"pool", s::nullable(s::text("the pool it is about"))},
         {"account", s::nullable(s::text("the account it is about"))}},
        {"id", "rule", "severity", "subject", "summary", "phase", "since", "resolved_at", "pool",
         "account"});
}

}  // namespace

void addAlertOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add(
        {"alerts.list", kOperators, false,
         "The gateway's alerts: accounts needing a new sign-in, pools low on or out of quota, "
         "pools failing too many requests, storage or shared state unreachable. Firing alerts "
         "first (oldest first), then those resolved in the last hour (latest first); evaluated "
         "every alerts.interval by this gateway process",
         s::params({{"phase", s::oneOf("only alerts in this phase", {"firing", "resolved"})}}),
         s::shape({{"as_of", views::timeSchema("the gateway's clock when this was read")},
                   {"firing", s::integer("alerts firing now")},
                   {"alerts", s::listOf(alertSchema(), "firing first")}},
                  {"as_of", "firing", "alerts"}),
         [context](const OperationCall& call) -> sdk::Result<json> {
             const auto only = optionalString(call.params, "phase");
             json list = json::array();
             std::size_t firing = 0;
             for (const alerts::Alert& alert : context.alerts.list()) {
                 firing += alert.phase == alerts::Phase::Firing ? 1 : 0;
                 if (!only || *only == alerts::phaseName(alert.phase)) {
                     list.push_back(alerts::toJson(alert));
                 }
             }
             return json{{"as_of", views::time(context.clock.now())},
                         {"firing", firing},
                         {"alerts", std::move(list)}};
         }});
}

}  // namespace sluice::core::ops::admin
