#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/config/pipeline.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::runtime {

/// Where a pool's definition comes from.
enum class PoolSource { Pipeline, Storage };

/// A pool as the gateway uses it: the pipeline's declarations plus pools created at run time.
struct PoolEntry {
    std::string name;
    std::string strategy;
    std::uint32_t ring_size = 3;
    bool sticky_sessions = true;
    PoolSource source = PoolSource::Pipeline;
    bool handoff = false;  ///< pools.<name>.handoff; pools created at run time have none
};

/// An immutable copy of what the request path needs to know from storage. Requests read it
/// without locks or I/O; it is replaced wholesale when storage changes.
struct DirectorySnapshot {
    std::unordered_map<std::string, sdk::ApiKeyRecord> api_keys;                ///< by prefix
    std::unordered_map<std::string, sdk::OperatorTokenRecord> operator_tokens;  ///< by prefix
    std::vector<PoolEntry> pools;                                               ///< by name
    std::vector<sdk::AccountRecord> accounts;  ///< by creation time
    std::chrono::system_clock::time_point loaded_at{};

    const PoolEntry* findPool(std::string_view name) const;
};

using DirectorySnapshotPtr = std::shared_ptr<const DirectorySnapshot>;

/// Merges pipeline pools with stored ones (the pipeline wins on a name clash) — the one rule for
/// which pools exist, shared by the CLI and the server.
std::vector<PoolEntry> mergePools(const std::vector<config::PoolDecl>& declared,
                                  const std::vector<sdk::PoolRecord>& stored);

/// Keeps the current DirectorySnapshot: loads it from storage at start, then refreshes it in the
/// background every `interval` (so changes made by another process, e.g. the CLI, show up), and
/// at once when this process changes storage (refreshNow()).
class Directory final {
public:
    Directory(sdk::StorageBackend& storage, std::vector<config::PoolDecl> declared_pools,
              sdk::Logger& logger);
    ~Directory();
    Directory(const Directory&) = delete;
    Directory& operator=(const Directory&) = delete;

    /// Thread-safe, lock-free for readers of the returned snapshot.
    DirectorySnapshotPtr snapshot() const { return current_.load(); }

    /// Reloads synchronously; returns false (keeping the old snapshot) when storage fails.
    bool refreshNow();
    /// New pipeline pool declarations (config reload); takes effect with the next refresh.
    void replaceDeclaredPools(std::vector<config::PoolDecl> declared_pools);
    /// Asks the background refresher to reload now instead of at its next tick; returns at
    /// once (any thread, e.g. a shared-state listener, which must not wait on storage).
    void requestRefresh();
    /// Starts the background refresher.
    void startRefreshing(std::chrono::milliseconds interval);
    void stopRefreshing();
    /// Called (on the refresher thread or the caller of refreshNow) after each new snapshot.
    void onChange(std::function<void(const DirectorySnapshot&)> listener);

private:
    sdk::StorageBackend& storage_;
    std::vector<config::PoolDecl> declared_pools_;
    sdk::Logger& logger_;
    std::atomic<DirectorySnapshotPtr> current_;
    std::mutex refresh_mutex_;  // one reload at a time
    std::vector<std::function<void(const DirectorySnapshot&)>> listeners_;

    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool requested_ = false;
    std::thread refresher_;
};

}  // namespace sluice::core::runtime
