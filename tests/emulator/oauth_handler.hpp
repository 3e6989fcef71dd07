#pragma once

#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// POST /oauth/token with a refresh grant (§8.2) or a device sign-in's authorization code,
/// JSON or form-encoded. Rotates the refresh
/// token on success; a used or unknown one gets 401 refresh_token_reused. The owning
/// account's `oauth` script can make it fail or answer slowly.
class OAuthHandler final : public GuardedHandler {
public:
    explicit OAuthHandler(EmulatorContext& context) : GuardedHandler(context) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    /// The device sign-in's authorization_code grant: the code and verifier
    /// /api/accounts/deviceauth/token handed out, redeemed once for a fresh token set.
    void exchangeCode(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, const nlohmann::json& body,
                      RecordedRequest record);
};

}  // namespace sluice::emulator
