#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sluice::plugins::route_codex {

/// The model catalog last fetched for each pool, so clients that ask for it on every start do
/// not each cost an upstream call. Thread-safe.
class ModelsCache final {
public:
    struct Entry {
        std::string body;
        std::string etag;
        std::chrono::steady_clock::time_point fetched_at;
    };

    explicit ModelsCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    std::optional<Entry> fresh(const std::string& pool, std::chrono::steady_clock::time_point now) const;
    Entry store(const std::string& pool, std::string body, std::chrono::steady_clock::time_point now);

private:
    std::chrono::milliseconds ttl_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace sluice::plugins::route_codex
