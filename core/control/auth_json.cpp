#include "core/control/auth_json.hpp"

#include <nlohmann/json.hpp>

#include "core/security/bounded_json.hpp"
#include "core/security/jwt.hpp"

namespace sluice::core::control {

namespace {

constexpr std::size_t kMaxAuthJsonBytes = 64 * 1024;
constexpr const char* kAuthClaim = "https://api.openai.com/auth";

sdk::Status invalid(std::string message) {
    return {sdk::StatusCode::InvalidArgument, std::move(message)};
}

std::string stringAt(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

sdk::Result<CodexLogin> parseAuthJson(std::string_view text) {
    if (text.size() > kMaxAuthJsonBytes) {
        return invalid("auth.json is larger than 64 KiB");
    }
    const auto document = security::parseJson(text);
    if (document.is_discarded() || !document.is_object()) {
        return invalid("auth.json is not a JSON object");
    }
    const std::string mode = stringAt(document, "auth_mode");
    if (mode == "apikey" ||
        (mode.empty() && document.contains("OPENAI_API_KEY") &&
         document["OPENAI_API_KEY"].is_string() && !document.contains("tokens"))) {
        return invalid(
            "auth.json holds an API key, not a ChatGPT login; sign in with `codex login`");
    }
    const auto tokens = document.find("tokens");
    if (tokens == document.end() || !tokens->is_object()) {
        return invalid("auth.json has no \"tokens\" object");
    }
    CodexLogin login;
    login.access_token = stringAt(*tokens, "access_token");
    login.refresh_token = stringAt(*tokens, "refresh_token");
    login.id_token = stringAt(*tokens, "id_token");
    login.account_id = stringAt(*tokens, "account_id");
    if (login.access_token.empty()) {
        return invalid("auth.json has no tokens.access_token");
    }
    auto completed = readLoginClaims(std::move(login));
    if (!completed.ok()) {
        return invalid(
            "auth.json names no account: tokens.account_id is empty and the tokens "
            "carry no chatgpt_account_id claim");
    }
    return completed;
}

sdk::Result<CodexLogin> readLoginClaims(CodexLogin login) {
    if (login.access_token.empty()) {
        return invalid("the login has no access token");
    }
    if (const auto claims = security::jwtClaims(login.id_token)) {
        const auto auth = claims->find(kAuthClaim);
        if (auth != claims->end() && auth->is_object()) {
            login.plan_type = stringAt(*auth, "chatgpt_plan_type");
            login.user_id = stringAt(*auth, "chatgpt_user_id");
            if (login.user_id.empty()) {
                login.user_id = stringAt(*auth, "user_id");
            }
            if (login.account_id.empty()) {
                login.account_id = stringAt(*auth, "chatgpt_account_id");
            }
        }
    }
    login.access_expires_at = security::jwtExpiry(login.access_token);
    if (const auto claims = security::jwtClaims(login.access_token)) {
        const auto auth = claims->find(kAuthClaim);
        if (login.account_id.empty() && auth != claims->end() && auth->is_object()) {
            login.account_id = stringAt(*auth, "chatgpt_account_id");
        }
    }
    if (login.account_id.empty()) {
        return invalid("the tokens carry no chatgpt_account_id claim");
    }
    if (login.plan_type.empty()) {
        login.plan_type = "unknown";
    }
    return login;
}

}  // namespace sluice::core::control
