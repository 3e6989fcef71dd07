#include "core/security/jwt.hpp"

#include "core/security/bounded_json.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::security {

std::optional<nlohmann::json> jwtClaims(std::string_view token) {
    const auto first = token.find('.');
    if (first == std::string_view::npos || first == 0) {
        return std::nullopt;
    }
    const auto second = token.find('.', first + 1);
    if (second == std::string_view::npos || second == first + 1 || second + 1 >= token.size()) {
        return std::nullopt;
    }
    const auto payload = fromBase64(token.substr(first + 1, second - first - 1));
    if (!payload) {
        return std::nullopt;
    }
    auto claims = security::parseJson(*payload);
    if (claims.is_discarded() || !claims.is_object()) {
        return std::nullopt;
    }
    return claims;
}

std::optional<sdk::TimePoint> jwtExpiry(std::string_view token) {
    const auto claims = jwtClaims(token);
    if (!claims) {
        return std::nullopt;
    }
    const auto exp = claims->find("exp");
    if (exp == claims->end() || !exp->is_number()) {
        return std::nullopt;
    }
    return sdk::TimePoint(std::chrono::seconds(exp->get<std::int64_t>()));
}

}  // namespace sluice::core::security
