#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::sdk {

struct Header {
    std::string name;
    std::string value;
};
using Headers = std::vector<Header>;

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z') {
            x = static_cast<char>(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = static_cast<char>(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return true;
}

/// First value of a header (case-insensitive name), or nullopt.
inline std::optional<std::string_view> findHeader(const Headers& headers,
                                                  std::string_view name) noexcept {
    for (const Header& h : headers) {
        if (equalsIgnoreCase(h.name, name)) {
            return std::string_view(h.value);
        }
    }
    return std::nullopt;
}

/// A typed error as clients see it. Rendered by the route family in its dialect; the default
/// envelope is {"error":{"message","type","code","param"}}.
struct ErrorInfo {
    int http_status = 500;
    std::string type = "server_error";  ///< invalid_request_error, authentication_error, ...
    std::string code;                   ///< stable snake_case, e.g. "no_eligible_account"
    std::string message;
    std::string param;                     ///< offending parameter, when there is one
    std::int64_t retry_after_seconds = 0;  ///< sent as Retry-After when > 0
    std::string recovery_kind;             ///< e.g. "restart_with_full_context" for lost hard pins
};

}  // namespace sluice::sdk
