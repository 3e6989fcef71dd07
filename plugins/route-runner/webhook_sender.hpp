#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "runner_config.hpp"
#include "runner_metrics.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::plugins::route_runner {

/// `sha256=<hex>` of HMAC-SHA256(secret, body) (OpenSSL).
std::string webhookSignature(const std::string& secret, const std::string& body);

/// Delivers completion payloads on a thread of its own, so a slow or stalling receiver never
/// delays a run's answer: bearer, configured headers, optional HMAC-SHA256 signature, a timeout
/// per attempt and `max_attempts` tries with doubling backoff. At most kMaxQueued payloads wait;
/// older ones are dropped (and counted as failed) past that. Thread-safe.
class WebhookSender final {
public:
    static constexpr std::size_t kMaxQueued = 256;

    WebhookSender(const WebhookConfig& config, sdk::HttpClient& http, sdk::Logger& logger,
                  RunnerMetrics& metrics);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    /// Queues `payload` (no-op when no URL is configured).
    void enqueue(const nlohmann::json& payload);
    /// `{configured, url_tail, timeout_ms, has_auth_bearer, header_keys, signed}` (no secrets).
    nlohmann::json status() const;

private:
    void loop();
    bool deliver(const std::string& body);

    WebhookConfig config_;
    sdk::HttpClient& http_;
    sdk::Logger& logger_;
    RunnerMetrics& metrics_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::plugins::route_runner
