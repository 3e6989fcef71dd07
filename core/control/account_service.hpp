#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/control/auth_json.hpp"
#include "core/control/control_context.hpp"

namespace sluice::core::control {

/// Upstream accounts: import from a Codex auth.json, list, pause/resume, delete. Credentials are
/// encrypted before they reach storage and never returned.
class AccountService final {
public:
    explicit AccountService(ControlContext& context) : context_(context) {}

    /// Imports a ChatGPT login into `pool`. The label defaults to "<plan>-<6 hex of the account>".
    sdk::Result<sdk::AccountRecord> importAuthJson(const std::string& pool,
                                                   std::string_view auth_json,
                                                   const std::optional<std::string>& label,
                                                   const sdk::Labels& labels, const Actor& actor);
    /// Stores a ChatGPT login (an imported auth.json or a device sign-in) into `pool`, its tokens
    /// encrypted; audited as `action`. The one way credentials of a new account reach storage.
    sdk::Result<sdk::AccountRecord> storeLogin(const std::string& pool, const CodexLogin& login,
                                               const std::optional<std::string>& label,
                                               const sdk::Labels& labels, const Actor& actor,
                                               const std::string& action);
    sdk::Result<std::vector<sdk::AccountRecord>> list(const std::optional<std::string>& pool) const;
    sdk::Status setPaused(const std::string& id, bool paused, const Actor& actor);
    sdk::Status remove(const std::string& id, const Actor& actor);

private:
    ControlContext& context_;
};

const char* accountStatusName(sdk::AccountStatus status) noexcept;

/// Parses "region=eu,tier=gold" into labels; nullopt when an item has no '=' or an empty key.
std::optional<sdk::Labels> parseLabels(std::string_view text);

}  // namespace sluice::core::control
