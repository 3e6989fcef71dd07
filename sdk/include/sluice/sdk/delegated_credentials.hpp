#pragma once

// SDK ABI 1.3: Pool credentials the host mints for processes a plugin starts on a key's behalf.

#include <chrono>
#include <string>
#include <string_view>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::sdk {

/// A short-lived stand-in for a Pool API key. Presented like the key itself
/// (`Authorization: Bearer <token>` or `x-api-key`) on the runtime routes.
struct DelegatedCredential {
    std::string token;
    std::chrono::system_clock::time_point expires_at;
};

/// Optional: a serving gateway's HostServices also derives from this, so a plugin finds it with
/// dynamic_cast on the HostServices its factory gets. It lets a family that starts a child
/// process (a `codex exec` run, a managed `codex app-server`) point it at the gateway's own
/// pooled routes as a given key, without ever holding or storing that key's raw secret.
/// Thread-safe; owned by the host, it outlives every plugin object.
class SLUICE_SDK_API DelegatedCredentials {
public:
    virtual ~DelegatedCredentials() = default;

    /// Mints a credential that authenticates as the Pool API key `key_id` (a Principal::id) until
    /// `ttl` has passed, or until the key is revoked, paused, rotated or deleted, whichever is
    /// first. Requests made with it are that key's: same pool, policy, limits, logs and usage.
    /// Nothing is stored: the token is signed with the host's secret key. Give it to a child
    /// through its environment or a 0600 file, never on a command line or in a log.
    /// Errors: NotFound (no such key), FailedPrecondition (the key is not active),
    /// InvalidArgument (`ttl` not within 1 s .. 7 days), Unavailable (the gateway is not serving).
    virtual Result<DelegatedCredential> delegate(std::string_view key_id,
                                                 std::chrono::seconds ttl) noexcept = 0;
};

}  // namespace sluice::sdk
