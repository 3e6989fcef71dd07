#pragma once

#include <string>
#include <string_view>

namespace sluice::core::routing {

/// One map key per (pool, key) for the in-memory tables keyed by pool: "<pool>\n<key>", since a
/// pool name never holds a line break. Pure.
inline std::string poolScopedKey(std::string_view pool, std::string_view key) {
    std::string composite;
    composite.reserve(pool.size() + key.size() + 1);
    composite.append(pool).push_back('\n');
    composite.append(key);
    return composite;
}

}  // namespace sluice::core::routing
