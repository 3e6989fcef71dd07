#include <Poco/URI.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/sdk/upstream_path.hpp"

// Whatever a client puts in a path parameter, the upstream target built from it is one a
// request line can carry, and decodes back to exactly what the client sent.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::sdk::UpstreamPath;
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::string target =
        UpstreamPath("/backend-api/wham").segment(input).param("cursor", input).str();
    if (!sluice::sdk::isSafeRequestTarget(target)) {
        __builtin_trap();
    }
    const std::string encoded = sluice::sdk::percentEncoded(input);
    std::string decoded;
    Poco::URI::decode(encoded, decoded);
    if (decoded != input || encoded.find('/') != std::string::npos) {
        __builtin_trap();
    }
    // The check itself never reads past the end, whatever it is given.
    (void)sluice::sdk::isSafeRequestTarget(input);
    return 0;
}
