#include "core/ops/admin_operations.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include "core/ops/admin/admin_support.hpp"

namespace sluice::core::ops {

namespace admin {

sdk::Result<std::optional<sdk::TimePoint>> timeParam(const json& params, const char* name) {
    const auto text = optionalString(params, name);
    if (!text) {
        return std::optional<sdk::TimePoint>();
    }
    int zone = 0;
    Poco::DateTime parsed;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, *text, parsed,
                                        zone) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, *text, parsed,
                                        zone)) {
        return invalidParam(name, "an RFC 3339 time such as 2026-11-21T08:00:00Z");
    }
    parsed.makeUTC(zone);
    const auto micros = parsed.timestamp().epochMicroseconds();
    return std::optional<sdk::TimePoint>(sdk::TimePoint(std::chrono::microseconds(micros)));
}

}  // namespace admin

void addAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    admin::addServiceOperations(operations, context);
    admin::addCapacityOperations(operations, context);
    admin::addAlertOperations(operations, context);
    admin::addPoolAdminOperations(operations, context);
    admin::addAccountAdminOperations(operations, context);
    admin::addSignInAdminOperations(operations, context);
    admin::addKeyAdminOperations(operations, context);
    admin::addWalletAdminOperations(operations, context);
    admin::addRecordOperations(operations, context);
}

}  // namespace sluice::core::ops
