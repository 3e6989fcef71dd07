#pragma once

// A CODEX_HOME for a Codex CLI child (`codex exec`, `codex app-server`) that Sluice starts: a
// private directory whose config.toml points the CLI at one Responses provider — in practice
// Sluice's own /backend-api/codex on loopback — with the credential read from an environment
// variable, so no key is ever written to disk or put on a command line.

#include <filesystem>
#include <string>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

struct CodexProviderConfig {
    std::string base_url;  ///< e.g. "http://127.0.0.1:4000/backend-api/codex"
    std::string env_key;   ///< the environment variable holding the bearer credential
    std::string model;     ///< default model; empty: the CLI's own default
    std::string approval_policy = "never";
    std::string sandbox_mode =
        "workspace-write";  ///< read-only | workspace-write | danger-full-access
};

/// The config.toml text for `config` (keys quoted and escaped as TOML basic strings).
std::string codexConfigToml(const CodexProviderConfig& config);

/// Creates `home` (0700) when missing and (re)writes its config.toml (0600). Any thread.
sdk::Status writeCodexHome(const std::filesystem::path& home, const CodexProviderConfig& config);

/// The name of the provider entry written into config.toml.
inline constexpr const char* kCodexProviderId = "sluice";

}  // namespace sluice::plugins::common
