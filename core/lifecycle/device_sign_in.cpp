#include "core/lifecycle/device_sign_in.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/lifecycle/token_refresher.hpp"
#include "core/security/bounded_json.hpp"

namespace sluice::core::lifecycle {

namespace {

using json = nlohmann::json;

// `codex login --device-auth` polls every 5 s unless told otherwise and gives up after 15 min.
constexpr std::chrono::seconds kDefaultInterval{5};
constexpr std::chrono::minutes kDefaultLifetime{15};
// RFC 8628 §3.5: slow_down adds five seconds to the interval.
constexpr std::chrono::seconds kSlowDownStep{5};

enum class PollVerdict { Pending, SlowDown, Denied, Expired, Failed };

struct PollRule {
    std::string_view code;
    PollVerdict verdict;
};

// The error codes of the token poll (RFC 8628 §3.5 names, as the ChatGPT auth server uses them).
constexpr std::array<PollRule, 4> kPollRules{{{"authorization_pending", PollVerdict::Pending},
                                              {"slow_down", PollVerdict::SlowDown},
                                              {"access_denied", PollVerdict::Denied},
                                              {"expired_token", PollVerdict::Expired}}};

// A poll answer without a known code: the CLI reads 403 and 404 as "not yet", and a failing or
// unreachable server is asked again at the next interval (the deadline still ends it).
PollVerdict classifyPoll(int status, const std::string& code) {
    for (const PollRule& rule : kPollRules) {
        if (rule.code == code) {
            return rule.verdict;
        }
    }
    if (status == 0 || status == 403 || status == 404 || status >= 500) {
        return PollVerdict::Pending;
    }
    return PollVerdict::Failed;
}

std::string textOf(const json& body, const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

// Seconds as a number or a string of digits (the server sends the interval as a string).
std::optional<std::chrono::seconds> secondsOf(const json& body, const char* key) {
    const auto it = body.find(key);
    if (it == body.end()) {
        return std::nullopt;
    }
    if (it->is_number_integer() && it->get<std::int64_t>() > 0) {
        return std::chrono::seconds(it->get<std::int64_t>());
    }
    if (it->is_string()) {
        const std::string digits = it->get<std::string>();
        if (!digits.empty() && digits.size() < 7 &&
            digits.find_first_not_of("0123456789") == std::string::npos && std::stoi(digits) > 0) {
            return std::chrono::seconds(std::stoi(digits));
        }
    }
    return std::nullopt;
}

std::string formField(std::string_view name, const std::string& value) {
    std::string encoded;
    Poco::URI::encode(value, "&=+?#/:", encoded);
    return std::string(name) + "=" + encoded;
}

}  // namespace

const char* signInPhaseName(DeviceSignIn::Phase phase) noexcept {
    switch (phase) {
        case DeviceSignIn::Phase::Requested:
            return "requested";
        case DeviceSignIn::Phase::AwaitingUser:
            return "awaiting_user";
        case DeviceSignIn::Phase::Exchanging:
            return "exchanging";
        case DeviceSignIn::Phase::Stored:
            return "stored";
        case DeviceSignIn::Phase::Expired:
            return "expired";
        case DeviceSignIn::Phase::Denied:
            return "denied";
        case DeviceSignIn::Phase::Failed:
            return "failed";
    }
    return "unknown";
}

DeviceSignInEndpoints DeviceSignInEndpoints::from(const config::UpstreamSettings& upstream,
                                                  const config::AccountSettings& accounts) {
    const auto& base = upstream.auth_base_url;
    return {base.substr(0, base.find_last_not_of('/') + 1), accounts.oauth_client_id,
            upstream.originator + "/" + upstream.client_version + " (sluice)",
            accounts.usage_probe_timeout};
}

DeviceSignIn::DeviceSignIn(sdk::HttpClient& http, const sdk::Clock& clock,
                           DeviceSignInEndpoints endpoints, StoreLogin store)
    : http_(http),
      clock_(clock),
      endpoints_(std::move(endpoints)),
      store_(std::move(store)),
      due_at_(clock.steadyNow()) {}

bool DeviceSignIn::finished() const noexcept {
    return phase_ == Phase::Stored || phase_ == Phase::Expired || phase_ == Phase::Denied ||
           phase_ == Phase::Failed;
}

void DeviceSignIn::step() {
    switch (phase_) {
        case Phase::Requested:
            return requestCode();
        case Phase::AwaitingUser:
            return poll();
        case Phase::Exchanging:
            return exchange();
        default:
            return;
    }
}

DeviceSignIn::Reply DeviceSignIn::post(const std::string& path, const std::string& content_type,
                                       const std::string& body) {
    sdk::HttpCall call;
    call.method = "POST";
    call.url = endpoints_.issuer + path;
    call.headers = {{"Content-Type", content_type},
                    {"Accept", "application/json"},
                    {"User-Agent", endpoints_.user_agent}};
    call.body = body;
    call.timeout = endpoints_.timeout;
    auto reply = http_.send(call);
    if (!reply.ok()) {
        return {};
    }
    return {reply->status, std::move(reply->body)};
}

void DeviceSignIn::finish(Phase phase, std::string code, std::string message) {
    phase_ = phase;
    error_code_ = std::move(code);
    error_message_ = std::move(message);
    // Nothing of the sign-in is needed any more; keep no secret longer than that.
    device_auth_id_.clear();
    authorization_code_.clear();
    code_verifier_.clear();
}

void DeviceSignIn::scheduleNextPoll() {
    // Never past the deadline: the expiry is noticed on time whatever interval the server asks.
    due_at_ = std::min(clock_.steadyNow() + interval_, deadline_);
}

void DeviceSignIn::requestCode() {
    if (phase_ != Phase::Requested) {
        return;
    }
    const Reply reply = post("/api/accounts/deviceauth/usercode", "application/json",
                             json{{"client_id", endpoints_.client_id}}.dump());
    const json body = security::parseJson(reply.body);
    device_auth_id_ = body.is_object() ? textOf(body, "device_auth_id") : "";
    user_code_ = body.is_object() ? textOf(body, "user_code") : "";
    if (reply.status != 200 || device_auth_id_.empty() || user_code_.empty()) {
        return finish(Phase::Failed, "sign_in_failed",
                      reply.status == 0
                          ? "the auth server could not be reached"
                          : "the auth server answered " + std::to_string(reply.status) +
                                " instead of a device code");
    }
    interval_ = secondsOf(body, "interval").value_or(kDefaultInterval);
    const auto lifetime =
        secondsOf(body, "expires_in")
            .value_or(std::chrono::duration_cast<std::chrono::seconds>(kDefaultLifetime));
    deadline_ = clock_.steadyNow() + lifetime;
    expires_at_ = clock_.now() + lifetime;
    phase_ = Phase::AwaitingUser;
    scheduleNextPoll();
}

void DeviceSignIn::poll() {
    if (phase_ != Phase::AwaitingUser) {
        return;
    }
    if (clock_.steadyNow() >= deadline_) {
        return finish(Phase::Expired, "sign_in_expired",
                      "the user code was not approved in time; start a new sign-in");
    }
    const Reply reply =
        post("/api/accounts/deviceauth/token", "application/json",
             json{{"device_auth_id", device_auth_id_}, {"user_code", user_code_}}.dump());
    const json body = security::parseJson(reply.body);
    if (reply.status == 200) {
        authorization_code_ = textOf(body, "authorization_code");
        code_verifier_ = textOf(body, "code_verifier");
        if (authorization_code_.empty() || code_verifier_.empty()) {
            return finish(Phase::Failed, "sign_in_failed",
                          "the auth server approved the code but sent no authorization code");
        }
        phase_ = Phase::Exchanging;
        due_at_ = clock_.steadyNow();
        return;
    }
    switch (classifyPoll(reply.status, oauthErrorCode(reply.body))) {
        case PollVerdict::SlowDown:
            interval_ += kSlowDownStep;
            [[fallthrough]];
        case PollVerdict::Pending:
            return scheduleNextPoll();
        case PollVerdict::Denied:
            return finish(Phase::Denied, "sign_in_denied", "the user declined the sign-in");
        case PollVerdict::Expired:
            return finish(Phase::Expired, "sign_in_expired",
                          "the auth server expired the user code; start a new sign-in");
        case PollVerdict::Failed:
            return finish(Phase::Failed, "sign_in_failed",
                          "the auth server answered " + std::to_string(reply.status) +
                              " while waiting for the user");
    }
}

void DeviceSignIn::exchange() {
    if (phase_ != Phase::Exchanging) {
        return;
    }
    const std::string form = formField("grant_type", "authorization_code") + "&" +
                             formField("code", authorization_code_) + "&" +
                             formField("redirect_uri", endpoints_.issuer + "/deviceauth/callback") +
                             "&" + formField("client_id", endpoints_.client_id) + "&" +
                             formField("code_verifier", code_verifier_);
    const Reply reply = post("/oauth/token", "application/x-www-form-urlencoded", form);
    const json tokens = security::parseJson(reply.body);
    if (reply.status != 200 || !tokens.is_object()) {
        const std::string code = oauthErrorCode(reply.body);
        return finish(Phase::Failed, "sign_in_failed",
                      reply.status == 0
                          ? "the token endpoint could not be reached"
                          : "the token endpoint answered " + std::to_string(reply.status) +
                                (code.empty() ? "" : " " + code));
    }
    control::CodexLogin login;
    login.access_token = textOf(tokens, "access_token");
    login.refresh_token = textOf(tokens, "refresh_token");
    login.id_token = textOf(tokens, "id_token");
    auto completed = control::readLoginClaims(std::move(login));
    if (!completed.ok()) {
        return finish(Phase::Failed, "sign_in_failed",
                      "the token endpoint's answer is unusable: " + completed.status().message());
    }
    auto stored = store_(completed.value());
    if (!stored.ok()) {
        return finish(Phase::Failed, "sign_in_failed",
                      "signed in, but the account was not stored: " + stored.status().message());
    }
    account_ = std::move(stored.value());
    finish(Phase::Stored, "", "");
}

}  // namespace sluice::core::lifecycle
