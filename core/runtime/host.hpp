#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/observability/log_sink.hpp"
#include "core/observability/metrics_registry.hpp"
#include "core/upstream/plain_http_client.hpp"
#include "sluice/sdk/delegated_credentials.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/storage_projects.hpp"
#include "sluice/sdk/storage_responses.hpp"

namespace sluice::core::runtime {

/// The real clock.
class SystemClock final : public sdk::Clock {
public:
    std::chrono::system_clock::time_point now() const noexcept override {
        return std::chrono::system_clock::now();
    }
    std::chrono::steady_clock::time_point steadyNow() const noexcept override {
        return std::chrono::steady_clock::now();
    }
};

/// Fast non-cryptographic randomness for routing (security::fastRandom64).
/// Credentials use OpenSSL's RAND_bytes instead.
class SystemRandom final : public sdk::Random {
public:
    std::uint64_t next() noexcept override;
};

/// What the host lends plugins and its own components: loggers, metrics, clock, randomness, the
/// host settings plugins read (sdk::HostSettings, sdk::HostUpstream), while a gateway serves,
/// delegated Pool credentials (sdk::DelegatedCredentials), and the storage's projects
/// (sdk::HostProjects) and the response store (sdk::HostResponseStore).
class Host final : public sdk::HostServices,
                   public sdk::HostSettings,
                   public sdk::HostUpstream,
                   public sdk::DelegatedCredentials,
                   public sdk::HostProjects,
                   public sdk::HostResponseStore {
public:
    /// `upstream` is the pipeline's `upstream:` identity, lent to route families.
    Host(std::unique_ptr<observability::LogSink> sink, sdk::UpstreamIdentity upstream);
    ~Host() override;

    sdk::Logger& logger(std::string_view component) override;
    sdk::Metrics& metrics() override { return metrics_; }
    const sdk::Clock& clock() override { return clock_; }
    sdk::Random& random() override { return random_; }
    sdk::HttpClient& httpClient() override { return http_; }

    sdk::ListenAddress listenAddress() const override;
    /// Set by the gateway from `server.listen`, and again once the listener has bound its port.
    void setListenAddress(sdk::ListenAddress address);

    sdk::UpstreamIdentity upstreamIdentity() const override { return upstream_; }

    /// Unavailable until the serving gateway lends its delegation (it needs the directory).
    sdk::Result<sdk::DelegatedCredential> delegate(std::string_view key_id,
                                                   std::chrono::seconds ttl) noexcept override;
    /// Set by the gateway once its directory exists; nullptr when it stops serving.
    void setDelegation(sdk::DelegatedCredentials* delegation) noexcept { delegation_ = delegation; }

    sdk::ProjectRepository* projectRepository() noexcept override { return projects_; }
    /// Set once by the runtime after opening storage, before any plugin object is created.
    void setProjectRepository(sdk::ProjectRepository* projects) noexcept { projects_ = projects; }

    sdk::ResponseStore* responseStore() noexcept override { return responses_; }
    /// Set by the gateway before it creates route families; nullptr once it is gone.
    void setResponseStore(sdk::ResponseStore* responses) noexcept { responses_ = responses; }

    observability::MetricsRegistry& metricsRegistry() noexcept { return metrics_; }

private:
    class ComponentLogger;

    std::unique_ptr<observability::LogSink> sink_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<ComponentLogger>, std::less<>> loggers_;
    mutable std::mutex listen_mutex_;
    sdk::ListenAddress listen_;
    const sdk::UpstreamIdentity upstream_;
    std::atomic<sdk::DelegatedCredentials*> delegation_{nullptr};
    observability::MetricsRegistry metrics_;
    SystemClock clock_;
    SystemRandom random_;
    upstream::PlainHttpClient http_;
    sdk::ProjectRepository* projects_ = nullptr;
    sdk::ResponseStore* responses_ = nullptr;
};

}  // namespace sluice::core::runtime
