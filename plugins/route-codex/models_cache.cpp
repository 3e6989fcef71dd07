#include "models_cache.hpp"

#include <functional>

namespace sluice::plugins::route_codex {

std::optional<ModelsCache::Entry> ModelsCache::fresh(const std::string& pool,
                                                     std::chrono::steady_clock::time_point now) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(pool);
    if (it == entries_.end() || now - it->second.fetched_at > ttl_) {
        return std::nullopt;
    }
    return it->second;
}

ModelsCache::Entry ModelsCache::store(const std::string& pool, std::string body,
                                      std::chrono::steady_clock::time_point now) {
    // A weak validator derived from the content: equal catalogs give equal tags.
    const std::string etag = "W/\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
    std::lock_guard lock(mutex_);
    Entry& entry = entries_[pool];
    entry = Entry{std::move(body), etag, now};
    return entry;
}

}  // namespace sluice::plugins::route_codex
