#include <cstdint>
#include <string_view>

#include "core/control/auth_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)sluice::core::control::parseAuthJson(
        std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
