#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::common {

/// The Codex model catalog last fetched for each pool, shared by every family that serves or
/// checks models, so clients that ask for it on every start do not each cost an upstream call.
/// Thread-safe; entries are immutable once stored.
class ModelsCache final {
public:
    struct Model {
        std::string slug;
        bool listed = true;           ///< false for `visibility: hide` (usable, not advertised)
        std::int64_t first_seen = 0;  ///< unix seconds this pool's catalog first named it
    };
    struct Entry {
        std::string body;  ///< the catalog exactly as the upstream sent it ({"models":[...]})
        std::string etag;  ///< weak validator derived from the body
        std::chrono::steady_clock::time_point fetched_at;
        std::vector<Model> models;  ///< empty when the body is not a catalog

        const Model* find(const std::string& slug) const;
    };
    using EntryPtr = std::shared_ptr<const Entry>;

    /// The outcome of fetch(): the entry, or the dispatch that produced none. With no entry,
    /// `outcome.status` is Rejected when no upstream answer reached the family (answer with its
    /// error); any other status means the upstream answered without a usable catalog.
    struct Fetch {
        EntryPtr entry;
        sdk::DispatchOutcome outcome;
    };

    /// `catalog_path` is the upstream path and query, e.g.
    /// "/backend-api/codex/models?client_version=0.169.0".
    ModelsCache(std::string catalog_path, std::chrono::milliseconds ttl)
        : catalog_path_(std::move(catalog_path)), ttl_(ttl) {}

    /// A weak validator derived from a catalog body: equal bodies give equal tags.
    static std::string weakTag(const std::string& body);

    EntryPtr fresh(const std::string& pool, std::chrono::steady_clock::time_point now) const;
    /// Parses and keeps `body` as the pool's catalog. `unix_now` dates models seen for the
    /// first time; models the previous catalog already named keep their date.
    EntryPtr store(const std::string& pool, std::string body,
                   std::chrono::steady_clock::time_point now, std::int64_t unix_now);
    /// The caller's pool's catalog: the cached one while fresh, else fetched through the
    /// exchange's gateway. Call from the request thread only.
    Fetch fetch(sdk::Exchange& exchange, std::chrono::steady_clock::time_point now,
                std::int64_t unix_now);

private:
    std::string catalog_path_;
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::map<std::string, EntryPtr> entries_;
};

}  // namespace sluice::plugins::common
