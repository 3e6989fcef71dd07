#include "launch_settings.hpp"

#include <cstdio>

namespace sluice::plugins::route_appserver {

std::string ownerDirectoryName(const std::string& owner_key) {
    const bool plain = !owner_key.empty() && owner_key.front() != '-' &&
                       owner_key.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
                           "TUVWXYZ0123456789-_") == std::string::npos;
    if (plain) {
        return owner_key;
    }
    std::string hex = "~";  // never a plain name, so the two forms cannot collide
    for (const unsigned char c : owner_key) {
        char pair[3];
        std::snprintf(pair, sizeof pair, "%02x", c);
        hex += pair;
    }
    return hex;
}

}  // namespace sluice::plugins::route_appserver
