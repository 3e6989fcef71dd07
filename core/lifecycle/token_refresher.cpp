#include "core/lifecycle/token_refresher.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/runtime/shared_lock.hpp"
#include "core/security/bounded_json.hpp"
#include "core/security/jwt.hpp"

namespace sluice::core::lifecycle {

namespace {

using json = nlohmann::json;

// The login itself is gone: only a new sign-in helps (the CLI treats these the same way).
constexpr std::array<std::string_view, 6> kTerminalCodes{
    "refresh_token_expired", "refresh_token_reused",  "refresh_token_invalidated",
    "invalid_grant",         "invalid_refresh_token", "token_revoked"};
constexpr std::chrono::minutes kMaxBackoff{30};
constexpr std::chrono::hours kRefreshAtLeastEvery{8 * 24};
// A refresh stored this recently, found under the replicas' lock, was another replica's.
constexpr std::chrono::seconds kPeerRefreshGrace{10};
// How often a replica looks whether the peer refreshing an account has finished.
constexpr std::chrono::milliseconds kPeerPoll{50};

bool isTerminal(int status, const std::string& code) {
    for (const std::string_view terminal : kTerminalCodes) {
        if (code == terminal) {
            return true;
        }
    }
    return status == 401;
}

std::string tokenOf(const json& reply, const char* key) {
    const auto it = reply.find(key);
    return it != reply.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string oauthErrorCode(std::string_view body) {
    const json document = security::parseJson(body);
    if (!document.is_object()) {
        return "";
    }
    if (const auto error = document.find("error"); error != document.end()) {
        if (error->is_string()) {
            return error->get<std::string>();
        }
        if (error->is_object() && error->contains("code") && (*error)["code"].is_string()) {
            return (*error)["code"].get<std::string>();
        }
    }
    const auto code = document.find("code");
    return code != document.end() && code->is_string() ? code->get<std::string>() : "";
}

const char* refreshResultName(RefreshResult result) noexcept {
    switch (result) {
        case RefreshResult::Refreshed:
            return "refreshed";
        case RefreshResult::Terminal:
            return "terminal";
        case RefreshResult::Transient:
            return "transient";
        case RefreshResult::Skipped:
            return "skipped";
        case RefreshResult::ByPeer:
            return "by_peer";
    }
    return "unknown";
}

TokenRefresher::TokenRefresher(sdk::StorageBackend& storage, const security::SecretBox& secrets,
                               sdk::HttpClient& http, const config::UpstreamSettings& upstream,
                               const config::AccountSettings& settings, const sdk::Clock& clock,
                               sdk::Logger& logger, sdk::Metrics& metrics,
                               std::function<void()> on_change, sdk::SharedState* shared)
    : storage_(storage),
      secrets_(secrets),
      http_(http),
      token_url_(
          upstream.auth_base_url.substr(0, upstream.auth_base_url.find_last_not_of('/') + 1) +
          "/oauth/token"),
      user_agent_(upstream.originator + "/" + upstream.client_version + " (sluice)"),
      settings_(settings),
      clock_(clock),
      logger_(logger),
      on_change_(std::move(on_change)),
      shared_(shared) {
    for (const RefreshResult result :
         {RefreshResult::Refreshed, RefreshResult::Terminal, RefreshResult::Transient,
          RefreshResult::Skipped, RefreshResult::ByPeer}) {
        refreshes_[static_cast<std::size_t>(result)] =
            &metrics.counter("sluice_token_refreshes_total", "Upstream token refreshes by result",
                             {{"result", refreshResultName(result)}});
    }
}

bool TokenRefresher::isDue(const sdk::AccountRecord& account, sdk::TimePoint now) {
    if (account.refresh_token.empty() || account.status == sdk::AccountStatus::Paused ||
        account.status == sdk::AccountStatus::Disabled ||
        account.status == sdk::AccountStatus::ReauthRequired) {
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        const auto backoff = backoff_.find(account.id);
        if (backoff != backoff_.end() && backoff->second.next_try > now) {
            return false;
        }
        if (in_flight_.count(account.id) != 0) {
            return false;
        }
    }
    const bool known_expiry = account.access_expires_at.time_since_epoch().count() != 0;
    if (known_expiry) {
        return account.access_expires_at - settings_.refresh_margin <= now;
    }
    return account.last_refresh_at + kRefreshAtLeastEvery <= now;
}

RefreshResult TokenRefresher::refresh(const std::string& account_id, std::string_view why) {
    std::promise<RefreshResult> promise;
    std::shared_future<RefreshResult> result;
    bool leader = false;
    {
        std::lock_guard lock(mutex_);
        auto [it, fresh] = in_flight_.try_emplace(account_id);
        if (fresh) {
            it->second = promise.get_future().share();
            leader = true;
        }
        result = it->second;
    }
    if (!leader) {
        return result.get();
    }
    logger_.info("token_refresh_started", {{"account", account_id}, {"why", why}});
    RefreshResult outcome = RefreshResult::Transient;
    try {
        outcome = performForAllReplicas(account_id);
    } catch (const std::exception& e) {
        logger_.error("token_refresh_failed", {{"account", account_id}, {"reason", e.what()}});
    }
    refreshes_[static_cast<std::size_t>(outcome)]->add();
    // Publish the new credentials before waking the waiters: they retry with what routing sees.
    if (outcome != RefreshResult::Skipped && on_change_) {
        on_change_();
    }
    {
        std::lock_guard lock(mutex_);
        in_flight_.erase(account_id);
    }
    promise.set_value(outcome);
    return outcome;
}

bool TokenRefresher::refreshedByPeer(const sdk::AccountRecord& account, sdk::TimePoint now) const {
    const bool fresh_token = account.access_expires_at.time_since_epoch().count() == 0 ||
                             account.access_expires_at - settings_.refresh_margin > now;
    return account.status == sdk::AccountStatus::Active && fresh_token &&
           account.last_refresh_at + kPeerRefreshGrace > now;
}

RefreshResult TokenRefresher::performForAllReplicas(const std::string& account_id) {
    // The holder's refresh ends within its token call's timeout; the lock outlives it a little.
    const auto ttl = settings_.usage_probe_timeout * 2;
    const auto give_up = clock_.steadyNow() + ttl;
    runtime::SharedLock lock(shared_, "refresh:" + account_id, ttl);
    while (lock.outcome() == runtime::SharedLock::Outcome::HeldByPeer &&
           clock_.steadyNow() < give_up) {
        std::this_thread::sleep_for(kPeerPoll);  // a peer refreshes it: wait for its result
        lock.retry();
    }
    switch (lock.outcome()) {
        case runtime::SharedLock::Outcome::HeldByPeer:
            return RefreshResult::Transient;  // the peer never finished; retried with backoff
        case runtime::SharedLock::Outcome::Held:
            return perform(account_id, true);
        case runtime::SharedLock::Outcome::Unshared:
            break;
    }
    return perform(account_id, false);  // the replicas cannot agree now: this one goes alone
}

RefreshResult TokenRefresher::perform(const std::string& account_id, bool after_peers) {
    auto stored = storage_.accounts().get(account_id);
    if (!stored.ok()) {
        return RefreshResult::Skipped;
    }
    const sdk::AccountRecord& account = stored.value();
    if (account.status == sdk::AccountStatus::Paused ||
        account.status == sdk::AccountStatus::Disabled) {
        return RefreshResult::Skipped;
    }
    if (after_peers && refreshedByPeer(account, clock_.now())) {
        logger_.info("token_refreshed_by_peer", {{"account", account.label}});
        return RefreshResult::ByPeer;
    }
    const auto refresh_token = secrets_.decrypt(
        account.refresh_token, security::accountSecretAad(account.id, "refresh_token"));
    if (!refresh_token || refresh_token->empty()) {
        return fail(account, true, "no usable refresh token");
    }
    storage_.accounts().updateStatus(account.id, sdk::AccountStatus::Refreshing, "", clock_.now());

    const std::string body = json{
        {"client_id", settings_.oauth_client_id},
        {"grant_type", "refresh_token"},
        {"refresh_token", *refresh_token},
        {"scope",
         "openid profile email"}}.dump();
    sdk::HttpCall call;
    call.method = "POST";
    call.url = token_url_;
    call.headers = {{"Content-Type", "application/json"},
                    {"Accept", "application/json"},
                    {"User-Agent", user_agent_}};
    call.body = body;
    call.timeout = settings_.usage_probe_timeout;
    auto reply = http_.send(call);
    if (!reply.ok()) {
        return fail(account, false, "token endpoint unreachable");
    }
    if (reply->status != 200) {
        const std::string code = oauthErrorCode(reply->body);
        return fail(account, isTerminal(reply->status, code),
                    "token endpoint answered " + std::to_string(reply->status) +
                        (code.empty() ? "" : " " + code));
    }
    const json tokens = security::parseJson(reply->body);
    if (!tokens.is_object()) {
        return fail(account, false, "token endpoint answered with no JSON");
    }
    // Each token present replaces the stored one; the rest stay as they were.
    sdk::AccountCredentials credentials{account.access_token, account.refresh_token,
                                        account.id_token, account.access_expires_at, clock_.now()};
    if (const std::string access = tokenOf(tokens, "access_token"); !access.empty()) {
        credentials.access_token =
            secrets_.encrypt(access, security::accountSecretAad(account.id, "access_token"));
        credentials.access_expires_at = security::jwtExpiry(access).value_or(sdk::TimePoint{});
    }
    if (const std::string rotated = tokenOf(tokens, "refresh_token"); !rotated.empty()) {
        credentials.refresh_token =
            secrets_.encrypt(rotated, security::accountSecretAad(account.id, "refresh_token"));
    }
    if (const std::string id_token = tokenOf(tokens, "id_token"); !id_token.empty()) {
        credentials.id_token =
            secrets_.encrypt(id_token, security::accountSecretAad(account.id, "id_token"));
    }
    const sdk::Status saved = storage_.accounts().updateCredentials(
        account.id, credentials, sdk::AccountStatus::Active, clock_.now());
    if (!saved.ok()) {
        // The upstream has rotated the refresh token; losing it here would lock the account out.
        logger_.error("token_refresh_unsaved",
                      {{"account", account.label}, {"reason", saved.message()}});
        return RefreshResult::Transient;
    }
    {
        std::lock_guard lock(mutex_);
        backoff_.erase(account.id);
    }
    logger_.info("token_refreshed", {{"account", account.label}});
    return RefreshResult::Refreshed;
}

RefreshResult TokenRefresher::fail(const sdk::AccountRecord& account, bool terminal,
                                   const std::string& reason) {
    const sdk::AccountStatus status =
        terminal ? sdk::AccountStatus::ReauthRequired : sdk::AccountStatus::RefreshFailed;
    storage_.accounts().updateStatus(account.id, status, "refresh failed: " + reason, clock_.now());
    if (!terminal) {
        std::lock_guard lock(mutex_);
        Backoff& backoff = backoff_[account.id];
        backoff.delay = backoff.delay.count() == 0
                            ? settings_.refresh_retry
                            : std::min<std::chrono::milliseconds>(backoff.delay * 2, kMaxBackoff);
        backoff.next_try = clock_.now() + backoff.delay;
    }
    logger_.warn("token_refresh_failed", {{"account", account.label},
                                          {"terminal", terminal ? "true" : "false"},
                                          {"reason", reason}});
    return terminal ? RefreshResult::Terminal : RefreshResult::Transient;
}

}  // namespace sluice::core::lifecycle
