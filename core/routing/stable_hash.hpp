#pragma once

#include <cstdint>
#include <string_view>

namespace sluice::core::routing {

/// A fast, well-mixed 64-bit hash that is the same in every process and release (FNV-1a with a
/// final avalanche), for affinity seeds and rendezvous hashing. Not for secrets.
inline std::uint64_t stableHash64(std::string_view text) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ULL;
    hash ^= hash >> 33;
    return hash;
}

}  // namespace sluice::core::routing
