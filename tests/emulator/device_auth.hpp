#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sluice::emulator {

/// Where a device sign-in stands; the control API moves it out of kPending.
enum class DeviceAuthState { kPending, kApproved, kDenied, kExpired };

/// What POST /api/accounts/deviceauth/token learns about a device code.
struct DeviceAuthPoll {
    DeviceAuthState state = DeviceAuthState::kPending;
    bool known = false;              ///< the device_auth_id and user_code belong together
    std::string authorization_code;  ///< kApproved: the code /oauth/token exchanges
    std::string code_verifier;       ///< kApproved: the PKCE verifier the server hands out
};

/// The device-code sign-ins of the ChatGPT auth server (`codex login --device-auth`): codes
/// handed out, approved or denied by a test through the control API, and the one-shot
/// authorization codes they turn into. Thread-safe.
class DeviceAuthDesk final {
public:
    struct Begun {
        std::string device_auth_id;
        std::string user_code;
    };

    Begun begin();
    DeviceAuthPoll poll(const std::string& device_auth_id, const std::string& user_code);
    /// The user codes still waiting for a verdict, oldest first (what a user would type).
    std::vector<std::string> pendingUserCodes();
    /// False when no pending sign-in has this user code.
    bool approve(const std::string& user_code, const std::string& account_id);
    bool deny(const std::string& user_code);
    bool expire(const std::string& user_code);
    /// The account an authorization code signs in, once; nullopt for an unknown, used or
    /// mismatched (verifier) code.
    std::optional<std::string> redeem(const std::string& authorization_code,
                                      const std::string& code_verifier);
    void clear();

private:
    struct SignIn {
        std::uint64_t serial = 0;  ///< order of issue
        std::string user_code;
        DeviceAuthState state = DeviceAuthState::kPending;
        std::string account_id;
        std::string authorization_code;
        std::string code_verifier;
    };
    struct Grant {
        std::string account_id;
        std::string code_verifier;
    };

    bool settle(const std::string& user_code, DeviceAuthState state,
                const std::string& account_id = {});
    std::string next(const char* prefix);

    std::mutex mutex_;
    std::uint64_t serial_ = 0;
    std::map<std::string, SignIn> sign_ins_;  ///< by device_auth_id
    std::map<std::string, Grant> grants_;     ///< by authorization code, until redeemed
};

const char* deviceAuthStateName(DeviceAuthState state) noexcept;

}  // namespace sluice::emulator
