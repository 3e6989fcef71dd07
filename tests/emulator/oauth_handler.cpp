#include "tests/emulator/oauth_handler.hpp"

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/token_minter.hpp"

namespace sluice::emulator {
namespace {

nlohmann::json reusedBody() {
    return {{"error",
             {{"message",
               "Your refresh token has already been used to generate a new access token. Please "
               "try signing in again."},
              {"type", "invalid_request_error"},
              {"param", nullptr},
              {"code", "refresh_token_reused"}}}};
}

}  // namespace

void OAuthHandler::serve(Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    const auto raw = readBodyOrReject(request, response, record);
    if (!raw)
        return;
    const bool form =
        request.getContentType().find("application/x-www-form-urlencoded") != std::string::npos;
    const auto body = form ? parseFormBody(*raw) : nlohmann::json::parse(*raw, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return reject(response, std::move(record), 400, "invalid_request",
                      "expected a JSON or form-encoded body");
    }
    const auto grant_type = body.value("grant_type", "");
    record.grant_type = grant_type;
    if (grant_type == "authorization_code")
        return exchangeCode(request, response, body, std::move(record));
    if (grant_type != "refresh_token") {
        record.status = 400;
        record.outcome = "unsupported_grant_type";
        context_.recorder.record(std::move(record));
        return sendJson(response, 400,
                        {{"error", "unsupported_grant_type"},
                         {"error_description",
                          "only the refresh_token and authorization_code grants are emulated"}});
    }
    const auto refresh_token = body.value("refresh_token", "");
    const auto owner = context_.accounts.lookupRefreshToken(refresh_token);
    OAuthBehaviour oauth;
    if (owner.account) {
        record.account_id = owner.account->id();
        owner.account->countRequest();
        oauth = owner.account->takeOAuth();
    }
    const auto finish = [&](int status, const char* outcome, const nlohmann::json& answer) {
        record.status = status;
        record.outcome = outcome;
        context_.recorder.record(std::move(record));
        if (oauth.delay.count() > 0 && !context_.stop.waitFor(oauth.delay))
            return;
        sendJson(response, status, answer);
    };
    if (owner.state != RefreshLookup::kActive || oauth.mode == OAuthMode::kReused) {
        return finish(401, "refresh_token_reused", reusedBody());
    }
    if (oauth.mode == OAuthMode::kInvalidGrant) {
        // RFC 6749 §5.2 shape, as an OAuth server answers an expired or revoked grant.
        return finish(400, "invalid_grant",
                      {{"error", "invalid_grant"},
                       {"error_description", "The refresh token is invalid or expired."}});
    }
    if (oauth.mode == OAuthMode::kError) {
        return finish(oauth.status, "error",
                      errorBody("server_error", "server_error", "The token service failed."));
    }
    const auto tokens = context_.accounts.rotate(refresh_token, oauth.access_token_ttl);
    if (!tokens)
        return finish(401, "refresh_token_reused", reusedBody());  // lost a race
    finish(200, "refreshed",
           {{"id_token", tokens->id_token},
            {"access_token", tokens->access_token},
            {"refresh_token", tokens->refresh_token},
            {"token_type", "Bearer"},
            {"expires_in", oauth.access_token_ttl.count()},
            {"scope", "openid profile email offline_access"}});
}

void OAuthHandler::exchangeCode(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response, const nlohmann::json& body,
                                RecordedRequest record) {
    const auto invalidGrant = [&](const char* why) {
        record.status = 400;
        record.outcome = "invalid_grant";
        context_.recorder.record(std::move(record));
        sendJson(response, 400, {{"error", "invalid_grant"}, {"error_description", why}});
    };
    // The device flow's redirect is the issuer's own callback page.
    const std::string callback = "http://" + request.getHost() + "/deviceauth/callback";
    if (body.value("redirect_uri", "") != callback)
        return invalidGrant("redirect_uri does not match the device sign-in's");
    if (body.value("client_id", "") != kCodexClientId)
        return invalidGrant("unknown client_id");
    const auto account_id =
        context_.device_auth.redeem(body.value("code", ""), body.value("code_verifier", ""));
    if (!account_id)
        return invalidGrant("the authorization code is unknown, used, or its verifier differs");
    const auto account = context_.accounts.find(*account_id);
    const auto ttl = account ? account->profile()->oauth.access_token_ttl : std::chrono::seconds{0};
    const auto tokens = context_.accounts.issue(*account_id, ttl);
    if (!tokens)
        return invalidGrant("the signed-in account is gone");
    record.account_id = *account_id;
    record.status = 200;
    record.outcome = "signed_in";
    context_.recorder.record(std::move(record));
    sendJson(response, 200,
             {{"id_token", tokens->id_token},
              {"access_token", tokens->access_token},
              {"refresh_token", tokens->refresh_token},
              {"token_type", "Bearer"},
              {"expires_in", ttl.count()},
              {"scope", "openid profile email offline_access"}});
}

}  // namespace sluice::emulator
