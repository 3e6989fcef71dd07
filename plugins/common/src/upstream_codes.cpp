#include "sluice/plugins/common/upstream_codes.hpp"

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::common {

bool isSafeCode(std::string_view code) noexcept {
    if (code.empty() || code.size() > 64) {
        return false;
    }
    for (const char c : code) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) {
            return false;
        }
    }
    return true;
}

std::string upstreamErrorCode(const std::string& body) {
    const auto document = parseJson(body);
    if (!document.is_object() || !document.contains("error") || !document["error"].is_object()) {
        return {};
    }
    const auto& error = document["error"];
    for (const char* key : {"code", "type"}) {
        if (error.contains(key) && error[key].is_string() &&
            isSafeCode(error[key].get<std::string>())) {
            return error[key].get<std::string>();
        }
    }
    return {};
}

}  // namespace sluice::plugins::common
