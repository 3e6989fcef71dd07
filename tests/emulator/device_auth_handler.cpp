#include "tests/emulator/device_auth_handler.hpp"

#include <Poco/SHA2Engine.h>

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/token_minter.hpp"

namespace sluice::emulator {
namespace {

/// PKCE S256: base64url(SHA-256(verifier)).
std::string codeChallenge(const std::string& verifier) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(verifier);
    const auto& digest = sha.digest();
    return base64UrlEncode(std::string(digest.begin(), digest.end()));
}

}  // namespace

void DeviceAuthHandler::serve(Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    const auto body = nlohmann::json::parse(*raw, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return reject(response, std::move(record), 400, "invalid_request", "expected a JSON body");
    const auto finish = [&](int status, const char* outcome, const nlohmann::json& answer) {
        record.status = status;
        record.outcome = outcome;
        context_.recorder.record(std::move(record));
        sendJson(response, status, answer);
    };
    if (endpoint_ == Endpoint::kUserCode) {
        if (body.value("client_id", "") != kCodexClientId) {
            return finish(
                400, "invalid_client",
                errorBody("invalid_request_error", "invalid_client", "unknown client_id"));
        }
        const auto begun = context_.device_auth.begin();
        // The real server sends the interval as a string of seconds.
        const auto interval = std::chrono::duration_cast<std::chrono::seconds>(
            context_.script.server.device_auth_interval);
        return finish(200, "usercode",
                      {{"device_auth_id", begun.device_auth_id},
                       {"user_code", begun.user_code},
                       {"interval", std::to_string(interval.count())}});
    }
    const auto poll =
        context_.device_auth.poll(body.value("device_auth_id", ""), body.value("user_code", ""));
    if (!poll.known) {
        return finish(404, "unknown_device_code",
                      errorBody("invalid_request_error", "invalid_device_code",
                                "no sign-in has this device_auth_id and user_code"));
    }
    switch (poll.state) {
        case DeviceAuthState::kPending:
            return finish(403, "pending",
                          errorBody("invalid_request_error", "authorization_pending",
                                    "the user has not approved the code yet"));
        case DeviceAuthState::kDenied:
            return finish(400, "denied",
                          errorBody("invalid_request_error", "access_denied",
                                    "the user declined the sign-in"));
        case DeviceAuthState::kExpired:
            return finish(
                400, "expired",
                errorBody("invalid_request_error", "expired_token", "the device code has expired"));
        case DeviceAuthState::kApproved:
            break;
    }
    finish(200, "approved",
           {{"authorization_code", poll.authorization_code},
            {"code_verifier", poll.code_verifier},
            {"code_challenge", codeChallenge(poll.code_verifier)}});
}

}  // namespace sluice::emulator
