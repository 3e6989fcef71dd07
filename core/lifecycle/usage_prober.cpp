#include "core/lifecycle/usage_prober.hpp"

namespace sluice::core::lifecycle {

namespace {

sdk::QuotaSnapshotRecord snapshotOf(const std::string& account_id, const char* window_name,
                                    const routing::WindowObservation& window, sdk::TimePoint now) {
    sdk::QuotaSnapshotRecord record;
    record.account_id = account_id;
    record.window = window_name;
    record.used_percent = window.used_percent;
    record.window_minutes = window.window_minutes;
    record.resets_at = window.resets_at.value_or(sdk::TimePoint{});
    record.observed_at = now;
    record.source = routing::quotaSourceName(window.source);
    return record;
}

}  // namespace

UsageProber::UsageProber(sdk::HttpClient& http, const dispatch::UpstreamEnvelope& envelope,
                         const config::UpstreamSettings& upstream,
                         const config::AccountSettings& settings, TokenRefresher& refresher,
                         sdk::StorageBackend& storage, const sdk::Clock& clock, sdk::Random& random,
                         sdk::Logger& logger)
    : http_(http),
      envelope_(envelope),
      usage_url_(
          upstream.chatgpt_base_url.substr(0, upstream.chatgpt_base_url.find_last_not_of('/') + 1) +
          upstream.backend_path + "/wham/usage"),
      settings_(settings),
      refresher_(refresher),
      storage_(storage),
      clock_(clock),
      random_(random),
      logger_(logger) {}

bool UsageProber::isDue(const std::string& account_id, sdk::TimePoint now) {
    if (settings_.usage_probe_interval.count() == 0) {
        return false;
    }
    std::lock_guard lock(mutex_);
    auto [it, fresh] = next_probe_.try_emplace(account_id);
    if (fresh) {
        // Spread a restart's first probes over one interval instead of all at once.
        const auto offset =
            random_.next() % static_cast<std::uint64_t>(settings_.usage_probe_interval.count());
        it->second = now + std::chrono::milliseconds(offset);
    }
    if (it->second > now) {
        return false;
    }
    // +/-10% jitter keeps accounts from falling into step.
    const auto interval = settings_.usage_probe_interval.count();
    const auto jitter =
        static_cast<std::int64_t>(random_.next() % static_cast<std::uint64_t>(interval / 5 + 1)) -
        interval / 10;
    it->second = now + std::chrono::milliseconds(interval + jitter);
    return true;
}

sdk::Status UsageProber::probe(const routing::RoutedAccount& account) {
    if (account.access_token.empty()) {
        return {sdk::StatusCode::FailedPrecondition,
                "account " + account.id + " has no usable access token"};
    }
    sdk::DispatchRequest request;
    request.method = "GET";
    sdk::HttpCall call;
    call.method = "GET";
    call.url = usage_url_;
    call.headers = envelope_.headersFor(account, request);
    call.timeout = settings_.usage_probe_timeout;
    auto reply = http_.send(call);
    if (!reply.ok()) {
        logger_.debug("usage_probe_unreachable", {{"account", account.label}});
        return {sdk::StatusCode::Unavailable, "the upstream's usage endpoint is unreachable"};
    }
    if (reply->status == 401) {
        refresher_.refresh(account.id, "usage probe 401");
        return {sdk::StatusCode::Unavailable,
                "the upstream refused the access token (401); a token refresh was started"};
    }
    if (reply->status != 200) {
        logger_.debug("usage_probe_refused",
                      {{"account", account.label}, {"status", std::to_string(reply->status)}});
        return {sdk::StatusCode::Unavailable,
                "the upstream's usage endpoint answered " + std::to_string(reply->status)};
    }
    const sdk::TimePoint now = clock_.now();
    const routing::QuotaObservation quota = routing::quotaFromUsagePayload(reply->body, now);
    account.state->applyQuota(quota, now);
    std::vector<sdk::QuotaSnapshotRecord> snapshots;
    if (quota.primary) {
        snapshots.push_back(snapshotOf(account.id, "primary", *quota.primary, now));
    }
    if (quota.secondary) {
        snapshots.push_back(snapshotOf(account.id, "secondary", *quota.secondary, now));
    }
    if (!snapshots.empty()) {
        if (const sdk::Status saved = storage_.quotas().upsert(snapshots); !saved.ok()) {
            logger_.warn("quota_snapshot_unsaved",
                         {{"account", account.label}, {"reason", saved.message()}});
        }
    }
    return {};
}

}  // namespace sluice::core::lifecycle
