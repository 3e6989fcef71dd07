#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::emulator {

/// Each account's WHAM user settings as PATCH settings/user left them, so a client can tell
/// which account it wrote to. Thread-safe.
class WhamSettings final {
public:
    /// `base` (the fixture) with every patch the account received merged in, in order.
    nlohmann::json userSettings(const std::string& account_id, nlohmann::json base) const;
    /// Merges `patch` (RFC 7386) into the account's settings.
    void patch(const std::string& account_id, const nlohmann::json& patch);
    /// Back to the fixture settings for every account.
    void clear();

private:
    mutable std::mutex mutex_;
    std::map<std::string, nlohmann::json> patches_;  ///< by account: the merged patches
};

}  // namespace sluice::emulator
