#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace sluice::plugins::route_backend {

/// Which upstream account owns a WHAM object (a task, an environment) of a pool. WHAM ids are
/// not portable between accounts, so every request naming one must go to its owner. Learned
/// from the answers that reveal ids (create, lists) and from probes; bounded, oldest entries
/// forgotten first (a forgotten id is found again by probing). Thread-safe.
class OwnerMap final {
public:
    explicit OwnerMap(std::size_t capacity) : capacity_(capacity) {}

    /// Records (or moves) `id` of `pool` to `account`.
    void remember(const std::string& pool, const std::string& id, const std::string& account);
    std::optional<std::string> owner(const std::string& pool, const std::string& id) const;

private:
    static std::string keyOf(const std::string& pool, const std::string& id) {
        return pool + '\n' + id;
    }

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> owners_;
    std::deque<std::string> order_;  ///< keys, oldest first
};

}  // namespace sluice::plugins::route_backend
