#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/control/auth_json.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_records.hpp"

namespace sluice::core::lifecycle {

/// Where the auth server lives and who we are to it, from `upstream:` and `accounts:`.
struct DeviceSignInEndpoints {
    std::string issuer;  ///< upstream.auth_base_url without a trailing '/'
    std::string client_id;
    std::string user_agent;
    std::chrono::milliseconds timeout{0};  ///< per HTTP call

    static DeviceSignInEndpoints from(const config::UpstreamSettings& upstream,
                                      const config::AccountSettings& accounts);
};

/// Stores the login a sign-in produced (AccountService::storeLogin behind it).
using StoreLogin = std::function<sdk::Result<sdk::AccountRecord>(const control::CodexLogin&)>;

/// One ChatGPT device-code sign-in, as `codex login --device-auth` runs it: ask the auth server
/// for a user code, show it to the operator, poll at the server's interval until the user
/// approved it, exchange the authorization code for tokens, store them. Each transition is one
/// function; step() runs the one the phase calls for. Every call blocks on at most one HTTP
/// exchange, so it runs on a worker or in the CLI, never on a request thread. Not thread-safe:
/// its owner serialises access. Device codes and tokens never leave it except through `store`.
class DeviceSignIn final {
public:
    enum class Phase { Requested, AwaitingUser, Exchanging, Stored, Expired, Denied, Failed };

    DeviceSignIn(sdk::HttpClient& http, const sdk::Clock& clock, DeviceSignInEndpoints endpoints,
                 StoreLogin store);

    /// Requested -> AwaitingUser (a user code to show) | Failed.
    void requestCode();
    /// AwaitingUser -> AwaitingUser (not yet) | Exchanging | Denied | Expired | Failed.
    void poll();
    /// Exchanging -> Stored | Failed.
    void exchange();
    /// Runs the transition the phase calls for; nothing once finished.
    void step();

    bool finished() const noexcept;
    Phase phase() const noexcept { return phase_; }
    /// When step() has something to do (AwaitingUser: the next poll).
    std::chrono::steady_clock::time_point dueAt() const noexcept { return due_at_; }

    /// For the operator: the code to enter and where.
    const std::string& userCode() const noexcept { return user_code_; }
    std::string verificationUrl() const { return endpoints_.issuer + "/codex/device"; }
    std::chrono::seconds interval() const noexcept { return interval_; }
    sdk::TimePoint expiresAt() const noexcept { return expires_at_; }
    /// Stored: the new account.
    const std::optional<sdk::AccountRecord>& account() const noexcept { return account_; }
    /// Denied, Expired, Failed: what went wrong, typed (sign_in_denied, sign_in_expired,
    /// sign_in_failed or the storage's refusal), never with a code or token in it.
    const std::string& errorCode() const noexcept { return error_code_; }
    const std::string& errorMessage() const noexcept { return error_message_; }

private:
    struct Reply {
        int status = 0;  ///< 0: the server could not be reached
        std::string body;
    };
    Reply post(const std::string& path, const std::string& content_type, const std::string& body);
    void finish(Phase phase, std::string code, std::string message);
    void scheduleNextPoll();

    sdk::HttpClient& http_;
    const sdk::Clock& clock_;
    DeviceSignInEndpoints endpoints_;
    StoreLogin store_;

    Phase phase_ = Phase::Requested;
    std::chrono::steady_clock::time_point due_at_;
    std::chrono::steady_clock::time_point deadline_;
    sdk::TimePoint expires_at_;
    std::chrono::seconds interval_{0};
    std::string device_auth_id_;
    std::string user_code_;
    std::string authorization_code_;
    std::string code_verifier_;
    std::optional<sdk::AccountRecord> account_;
    std::string error_code_;
    std::string error_message_;
};

const char* signInPhaseName(DeviceSignIn::Phase phase) noexcept;

}  // namespace sluice::core::lifecycle
