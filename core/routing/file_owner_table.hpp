#pragma once

#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sluice/sdk/storage_backend.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// Which account owns each upstream file of each pool, so a request referencing files is
/// pinned without reading storage: recorded when a file is registered, loaded from storage at
/// start, forgotten once the file expires. Not a hint like the affinities: an entry is never
/// evicted before its file expires. Thread-safe; lookups take a shared lock briefly.
class FileOwnerTable final {
public:
    /// Expired entries are swept at most this often, by record().
    static constexpr std::chrono::minutes kSweepInterval{10};

    /// The owning account of an unexpired file of `pool`.
    std::optional<std::string> owner(std::string_view pool, std::string_view file_id,
                                     sdk::TimePoint now) const;
    void record(const sdk::FileRecord& file, sdk::TimePoint now);
    /// Loads the unexpired files of `pools` (at start). Fails when storage cannot list them.
    sdk::Status load(sdk::FileRepository& files, const std::vector<std::string>& pools,
                     sdk::TimePoint now);
    std::size_t size() const;

private:
    struct Entry {
        std::string account_id;
        sdk::TimePoint expires_at;
    };

    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    sdk::TimePoint next_sweep_{};
};

}  // namespace sluice::core::routing
