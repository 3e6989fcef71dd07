#include <cstdint>
#include <optional>
#include <string_view>

#include "core/upstream/json_scan.hpp"

namespace {

// Every value found is a view into the input.
void checkInside(std::string_view input, const std::optional<std::string_view>& value) {
    if (value && (value->data() < input.data() ||
                  value->data() + value->size() > input.data() + input.size())) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::core::upstream;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    checkInside(input, topLevelString(input, "type"));
    checkInside(input, topLevelLiteral(input, "sequence_number"));
    checkInside(input, topLevelValue(input, "response"));
    if (isFramedObject(input) && input.find('{') == std::string_view::npos) {
        __builtin_trap();  // a framed object has an opening brace
    }
    return 0;
}
