#include "core/security/bounded_json.hpp"

#include "sluice/sdk/json_limits.hpp"

namespace sluice::core::security {

nlohmann::json parseJson(std::string_view text) {
    if (!sdk::jsonDepthWithin(text)) {
        return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace sluice::core::security
