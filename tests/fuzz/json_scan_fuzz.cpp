#include <cstdint>
#include <string_view>

#include "core/upstream/json_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (const auto value = sluice::core::upstream::topLevelString(input, "type")) {
        // The value is a view into the input.
        if (value->data() < input.data() || value->data() + value->size() > input.data() + input.size()) {
            __builtin_trap();
        }
    }
    return 0;
}
