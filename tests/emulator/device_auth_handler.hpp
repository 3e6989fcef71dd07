#pragma once

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// The device-code sign-in of `codex login --device-auth` (no account credentials: the codes
/// are the credentials). POST /api/accounts/deviceauth/usercode {client_id} hands out a
/// device_auth_id, a user code and the poll interval; POST /api/accounts/deviceauth/token
/// {device_auth_id, user_code} answers 403 authorization_pending until a test approves the
/// code through the control API, then the authorization code and PKCE verifier once.
class DeviceAuthHandler final : public GuardedHandler {
public:
    enum class Endpoint { kUserCode, kToken };

    DeviceAuthHandler(EmulatorContext& context, Endpoint endpoint)
        : GuardedHandler(context), endpoint_(endpoint) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    Endpoint endpoint_;
};

}  // namespace sluice::emulator
