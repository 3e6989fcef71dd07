#include "sluice/plugins/common/storage_filters.hpp"

#include "sluice/plugins/common/storage_codec.hpp"

namespace sluice::plugins::common {

namespace {

using Op = Condition::Op;

void addText(std::vector<Condition>& out, const char* column,
             const std::optional<std::string>& value) {
    if (value) {
        out.push_back({column, Op::Equals, *value});
    }
}

void addTimeRange(std::vector<Condition>& out, const char* column,
                  const std::optional<sdk::TimePoint>& since,
                  const std::optional<sdk::TimePoint>& until) {
    if (since) {
        out.push_back({column, Op::AtLeast, toMillis(*since)});
    }
    if (until) {
        out.push_back({column, Op::Below, toMillis(*until)});
    }
}

}  // namespace

const char* operatorText(Condition::Op op) noexcept {
    switch (op) {
        case Op::Equals:
            return "=";
        case Op::AtLeast:
            return ">=";
        case Op::Below:
            return "<";
    }
    return "=";
}

std::vector<Condition> requestLogConditions(const sdk::RequestLogQuery& query) {
    std::vector<Condition> out;
    addText(out, "pool", query.pool);
    addText(out, "key_prefix", query.key_prefix);
    addText(out, "model", query.model);
    if (query.status) {
        out.push_back({"status", Op::Equals, std::int64_t{*query.status}});
    }
    addTimeRange(out, "started_at", query.since, query.until);
    return out;
}

std::vector<Condition> auditConditions(const sdk::AuditQuery& query) {
    std::vector<Condition> out;
    addText(out, "actor", query.actor);
    addText(out, "action", query.action);
    addText(out, "target", query.target);
    addTimeRange(out, "occurred_at", query.since, query.until);
    return out;
}

}  // namespace sluice::plugins::common
