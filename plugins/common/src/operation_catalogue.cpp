#include "sluice/plugins/common/operation_catalogue.hpp"

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::common {

using json = nlohmann::json;

sdk::Result<const json*> OperationCatalogue::entries(sdk::Gateway& gateway) {
    std::lock_guard lock(mutex_);
    if (entries_.is_null()) {
        auto listed = gateway.operate("operations.list", "{}");
        if (!listed.ok()) {
            return listed.status();
        }
        json document = common::parseJson(listed.value());
        if (!document.is_object() || !document.contains("operations") ||
            !document["operations"].is_array()) {
            return sdk::Status(sdk::StatusCode::Internal, "malformed operation catalogue");
        }
        entries_ = std::move(document["operations"]);
    }
    return &entries_;
}

sdk::Result<const json*> OperationCatalogue::find(sdk::Gateway& gateway,
                                                  std::string_view operation) {
    auto all = entries(gateway);
    if (!all.ok()) {
        return all.status();
    }
    for (const json& entry : *all.value()) {
        if (entry.value("name", "") == operation) {
            return &entry;
        }
    }
    return sdk::Status(sdk::StatusCode::NotFound,
                       "no operation '" + std::string(operation) + "' for this caller");
}

}  // namespace sluice::plugins::common
