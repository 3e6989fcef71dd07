#include "sluice/plugins/common/wallet_preflight.hpp"

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/json_access.hpp"

namespace sluice::plugins::common {

std::optional<sdk::ErrorInfo> walletRefusal(sdk::Gateway& gateway) {
    const auto checked = gateway.operate("wallet.preflight", "{}");
    if (!checked.ok()) {
        return std::nullopt;
    }
    const nlohmann::json answer = parseJson(checked.value());
    const nlohmann::json& error = member(answer, "error");
    if (!error.is_object()) {
        return std::nullopt;
    }
    const nlohmann::json& status = member(error, "status");
    return sdk::ErrorInfo{status.is_number_integer() ? status.get<int>() : 402,
                          textOf(error, "type"),
                          textOf(error, "code"),
                          textOf(error, "message"),
                          "",
                          0,
                          ""};
}

}  // namespace sluice::plugins::common
