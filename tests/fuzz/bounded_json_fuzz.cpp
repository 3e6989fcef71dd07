#include <cstdint>
#include <string_view>

#include "core/security/bounded_json.hpp"
#include "sluice/sdk/json_limits.hpp"

// Any text parses or is discarded without a crash, and what parses can be printed: printing
// recurses once per level, which the depth limit keeps within a request thread's stack.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const nlohmann::json document = sluice::core::security::parseJson(input);
    if (!document.is_discarded()) {
        if (!sluice::sdk::jsonDepthWithin(input)) {
            __builtin_trap();  // a document deeper than the limit was parsed
        }
        (void)document.dump();
    }
    return 0;
}
