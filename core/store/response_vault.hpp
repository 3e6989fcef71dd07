#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "core/security/secret_box.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/storage_responses.hpp"

namespace sluice::core::store {

/// The host's response store (sdk::ResponseStore) over a backend's ResponseRepository:
/// documents are sealed with the gateway's SecretBox, bound to their id and owner, before they
/// leave the request thread; keep() only queues and a background thread writes the queue as it
/// fills, and purges expired rows every `purge_interval`. Lookups first wait (at most
/// `read_wait`) for the writes queued before them, so a client reads what it just created.
/// Thread-safe.
class ResponseVault final : public sdk::ResponseStore {
public:
    /// The first three are the pipeline's `response_store` settings (their defaults are there).
    struct Options {
        std::chrono::milliseconds purge_interval{0};  ///< must be positive
        std::size_t queue_capacity = 0;  ///< above it the oldest queued document is dropped
        std::chrono::milliseconds read_wait{0};
        std::uint32_t list_batch = 100;  ///< rows read per storage page while filtering a list
    };

    ResponseVault(sdk::ResponseRepository& repository, const security::SecretBox& secrets,
                  const sdk::Clock& clock, sdk::Metrics& metrics, sdk::Logger& logger,
                  Options options);
    ~ResponseVault() override;
    ResponseVault(const ResponseVault&) = delete;
    ResponseVault& operator=(const ResponseVault&) = delete;

    void keep(std::string_view owner_key, sdk::StoredDocument document) noexcept override;
    sdk::Result<sdk::StoredDocument> find(std::string_view owner_key, sdk::StoredKind kind,
                                          std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::StoredDocument>> list(
        std::string_view owner_key, const sdk::StoredDocumentQuery& query) noexcept override;
    sdk::Status update(std::string_view owner_key,
                       const sdk::StoredDocument& document) noexcept override;
    sdk::Status remove(std::string_view owner_key, sdk::StoredKind kind,
                       std::string_view id) noexcept override;

    /// Removes the expired rows now (the background thread's periodic work; tests).
    void purgeExpired();
    /// Writes everything queued and stops the thread (shutdown).
    void stop();

private:
    void run();
    /// Waits until every document queued before the call is written (or `read_wait` passed).
    void awaitQueued();
    sdk::StoredResponseRecord seal(std::string_view owner_key,
                                   const sdk::StoredDocument& document) const;
    std::optional<sdk::StoredDocument> open(const sdk::StoredResponseRecord& record) const;
    sdk::Result<sdk::StoredResponseRecord> owned(std::string_view owner_key, sdk::StoredKind kind,
                                                 std::string_view id);

    sdk::ResponseRepository& repository_;
    const security::SecretBox& secrets_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
    sdk::Counter& written_;
    sdk::Counter& dropped_;
    sdk::Counter& purged_;
    Options options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable written_cv_;
    std::deque<std::pair<std::uint64_t, sdk::StoredResponseRecord>> queue_;
    std::uint64_t queued_seq_ = 0;   ///< sequence of the last document queued
    std::uint64_t written_seq_ = 0;  ///< every document up to this one is written (or dropped)
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::core::store
