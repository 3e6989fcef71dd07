#include "core/config/section_readers.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::core::config {

namespace cfg = sdk::config;

namespace {

void addIssue(ConfigIssues& issues, const ConfigTree& node, std::string message) {
    issues.push_back({node.path(), std::move(message), node.line()});
}

}  // namespace

std::string optionalSecret(const ConfigTree& node, std::string_view key, std::string_view what,
                           ConfigIssues& issues) {
    if (!cfg::has(node, key)) {
        return {};
    }
    std::string value = cfg::getString(node, key);
    if (value.empty()) {
        addIssue(issues, *node.find(key),
                 "expected " + std::string(what) + ", or leave " + std::string(key) + " out");
    }
    return value;
}

void readBilling(const ConfigTree& root, BillingSettings& billing, ConfigIssues& issues) {
    const ConfigTree& node = requireSection(root, "billing");
    billing.journal = cfg::getString(node, "journal");
    billing.apply_interval = cfg::getDuration(node, "apply_interval");
    billing.reload_interval = cfg::getDuration(node, "reload_interval");
    billing.balance_gauge_wallets =
        static_cast<std::uint32_t>(cfg::getInt(node, "balance_gauge_wallets"));
    billing.stripe_tolerance = cfg::getDuration(node, "stripe_tolerance");
    billing.stripe_webhook_secret =
        optionalSecret(node, "stripe_webhook_secret", "the endpoint's signing secret", issues);
}

void readAlerts(const ConfigTree& root, AlertSettings& alerts, ConfigIssues& issues) {
    const ConfigTree& node = requireSection(root, "alerts");
    alerts.interval = cfg::getDuration(node, "interval");
    alerts.capacity_below_percent =
        static_cast<std::uint32_t>(cfg::getInt(node, "capacity_below_percent"));
    alerts.error_rate_above_percent =
        static_cast<std::uint32_t>(cfg::getInt(node, "error_rate_above_percent"));
    const auto window = cfg::getDuration(node, "error_rate_window");
    alerts.error_rate_window = std::chrono::duration_cast<std::chrono::minutes>(window);
    if (window != alerts.error_rate_window || window < std::chrono::minutes(1) ||
        window > std::chrono::minutes(60)) {
        addIssue(issues, *node.find("error_rate_window"), "expected whole minutes from 1m to 60m");
    }
    alerts.error_rate_min_requests =
        static_cast<std::uint32_t>(cfg::getInt(node, "error_rate_min_requests"));
    alerts.webhook_url = cfg::getString(node, "webhook_url");
    alerts.webhook_secret =
        optionalSecret(node, "webhook_secret", "the secret deliveries are signed with", issues);
    alerts.webhook_timeout = cfg::getDuration(node, "webhook_timeout");
    alerts.webhook_retry = cfg::getDuration(node, "webhook_retry");
    alerts.webhook_attempts = static_cast<std::uint32_t>(cfg::getInt(node, "webhook_attempts"));
    if (alerts.interval < std::chrono::seconds(1)) {
        addIssue(issues, *node.find("interval"), "expected at least 1s");
    }
    if (alerts.webhook_url.empty()) {
        return;
    }
    const std::string& url = alerts.webhook_url;
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        addIssue(issues, *node.find("webhook_url"), "expected an http:// or https:// URL");
    }
    if (alerts.webhook_secret.empty()) {
        addIssue(issues, *node.find("webhook_url"),
                 "needs alerts.webhook_secret (e.g. webhook_secret#env: SLUICE_ALERT_SECRET) "
                 "to sign deliveries");
    }
}

void readResponseStore(const ConfigTree& root, ResponseStoreSettings& store, ConfigIssues& issues) {
    const ConfigTree& node = requireSection(root, "response_store");
    store.purge_interval = cfg::getDuration(node, "purge_interval");
    if (store.purge_interval.count() <= 0) {
        addIssue(issues, *node.find("purge_interval"), "must be longer than 0s");
    }
    store.read_wait = cfg::getDuration(node, "read_wait");
    store.queue_limit = static_cast<std::size_t>(cfg::getInt(node, "queue_limit"));
}

}  // namespace sluice::core::config
