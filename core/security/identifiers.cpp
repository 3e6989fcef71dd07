#include "core/security/identifiers.hpp"

#include <cstdio>

#include "core/security/encoding.hpp"

namespace sluice::core::security {

std::string newRecordId(std::string_view prefix, std::chrono::system_clock::time_point now) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    char stamp[16];
    std::snprintf(stamp, sizeof stamp, "%012llx", static_cast<unsigned long long>(ms) & 0xffffffffffffULL);
    return std::string(prefix) + "_" + stamp + toHex(randomBytes(5));
}

}  // namespace sluice::core::security
