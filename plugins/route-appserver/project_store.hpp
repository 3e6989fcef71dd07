#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sluice/sdk/storage_projects.hpp"

namespace sluice::plugins::route_appserver {

/// Every project in memory (loaded once at startup), written through to the repository, so
/// reads never wait on storage. Thread-safe.
class ProjectStore final {
public:
    /// Loads every project; throws std::runtime_error when storage cannot list them.
    explicit ProjectStore(sdk::ProjectRepository& repository);

    sdk::Status create(const sdk::ProjectRecord& project);
    std::optional<sdk::ProjectRecord> get(const std::string& id) const;
    /// Every project (any owner), in no particular order.
    std::vector<sdk::ProjectRecord> all() const;
    /// The owner's projects in creation order.
    std::vector<sdk::ProjectRecord> list(const std::string& owner_key) const;
    /// The project whose current thread is `thread_id`.
    std::optional<sdk::ProjectRecord> byThread(const std::string& owner_key,
                                               const std::string& thread_id) const;
    /// Applies `change` to the stored project and writes it through; updates are serialised so
    /// read-modify-write never loses one. NotFound when absent.
    sdk::Result<sdk::ProjectRecord> update(const std::string& id,
                                           const std::function<void(sdk::ProjectRecord&)>& change);

private:
    sdk::ProjectRepository& repository_;
    std::mutex write_mutex_;
    mutable std::mutex mutex_;
    std::map<std::string, sdk::ProjectRecord> projects_;
};

}  // namespace sluice::plugins::route_appserver
