#include "core/security/identifiers.hpp"

#include <cstdio>

#include "core/security/encoding.hpp"

namespace sluice::core::security {

std::string newRecordId(std::string_view prefix, std::chrono::system_clock::time_point now) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, "_%012llx%010llx",
                  static_cast<unsigned long long>(ms) & 0xffffffffffffULL,
                  static_cast<unsigned long long>(fastRandom64() & 0xffffffffffULL));
    return std::string(prefix) + suffix;
}

}  // namespace sluice::core::security
