#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"

namespace sluice::core::control {

/// What a Codex `auth.json` (ChatGPT login) tells us about an upstream account.
struct CodexLogin {
    std::string access_token;
    std::string refresh_token;
    std::string id_token;
    std::string account_id;  ///< sent upstream as chatgpt-account-id
    std::string user_id;     ///< the seat within a workspace account; empty when unknown
    std::string plan_type;   ///< from the id_token claims; "unknown" when absent
    std::optional<std::chrono::system_clock::time_point> access_expires_at;  ///< access token `exp`
};

/// Completes a login from its tokens: reads the account, seat and plan from the id_token claims
/// (the access token's when the id_token has none) and the access token's expiry. An account id
/// already set wins. InvalidArgument when no account is named; never echoes token contents.
sdk::Result<CodexLogin> readLoginClaims(CodexLogin login);

/// Parses an auth.json. Signatures are not verified (the operator vouches for the file); the
/// claims are only read for the account id, plan and expiry. Errors never echo token contents.
sdk::Result<CodexLogin> parseAuthJson(std::string_view text);

}  // namespace sluice::core::control
