#include "webhook_sender.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace sluice::plugins::route_runner {

using json = nlohmann::json;

std::string webhookSignature(const std::string& secret, const std::string& body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
    static const char* kHex = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

WebhookSender::WebhookSender(const WebhookConfig& config, sdk::HttpClient& http,
                             sdk::Logger& logger, RunnerMetrics& metrics)
    : config_(config), http_(http), logger_(logger), metrics_(metrics) {
    if (!config_.url.empty()) {
        thread_ = std::thread([this] { loop(); });
    }
}

WebhookSender::~WebhookSender() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void WebhookSender::enqueue(const json& payload) {
    if (config_.url.empty()) {
        return;
    }
    std::string body = payload.dump();
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= kMaxQueued) {
            queue_.pop_front();
            metrics_.webhook(false);
        }
        queue_.push_back(std::move(body));
    }
    wake_.notify_one();
}

json WebhookSender::status() const {
    json keys = json::array();
    for (const auto& [name, value] : config_.headers) {
        keys.push_back(name);
    }
    const std::string& url = config_.url;
    return {{"configured", !url.empty()},
            {"url_tail", url.size() > 18 ? "..." + url.substr(url.size() - 18) : url},
            {"timeout_ms", config_.timeout.count()},
            {"has_auth_bearer", !config_.bearer.empty()},
            {"header_keys", keys},
            {"signed", !config_.signing_secret.empty()},
            {"max_attempts", config_.max_attempts}};
}

void WebhookSender::loop() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) {
            return;
        }
        std::string body = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        const bool delivered = deliver(body);
        metrics_.webhook(delivered);
        lock.lock();
    }
}

bool WebhookSender::deliver(const std::string& body) {
    sdk::HttpCall call;
    call.method = "POST";
    call.url = config_.url;
    call.body = body;
    call.timeout = config_.timeout;
    call.headers.push_back({"Content-Type", "application/json"});
    if (!config_.bearer.empty()) {
        call.headers.push_back({"Authorization", "Bearer " + config_.bearer});
    }
    for (const auto& [name, value] : config_.headers) {
        call.headers.push_back({name, value});
    }
    if (!config_.signing_secret.empty()) {
        call.headers.push_back(
            {"X-Sluice-Signature", webhookSignature(config_.signing_secret, body)});
    }
    auto backoff = config_.backoff;
    for (int attempt = 1; attempt <= config_.max_attempts; ++attempt) {
        auto reply = http_.send(call);
        const int status = reply.ok() ? reply->status : 0;
        if (status >= 200 && status < 300) {
            return true;
        }
        logger_.warn("runner_webhook_failed",
                     {{"attempt", std::to_string(attempt)}, {"status", std::to_string(status)}});
        std::unique_lock lock(mutex_);
        if (attempt == config_.max_attempts ||
            wake_.wait_for(lock, backoff, [this] { return stopping_; })) {
            break;
        }
        backoff *= 2;
    }
    return false;
}

}  // namespace sluice::plugins::route_runner
