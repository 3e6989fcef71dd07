#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sluice/sdk/time.hpp"

namespace sluice::plugins::route_backend {

/// Which upstream account owns a WHAM object (a task, an environment) of a pool. WHAM ids are
/// not portable between accounts, so every request naming one must go to its owner. Learned
/// from the answers that reveal ids (create, lists) and from probes; bounded, oldest entries
/// forgotten first (a forgotten id is found again by probing). Ids that probing did not find
/// are remembered as missing for a while, so a client asking again and again for one costs no
/// upstream call each time; bounded the same way. Thread-safe.
class OwnerMap final {
public:
    explicit OwnerMap(std::size_t capacity) : capacity_(capacity) {}

    /// Records (or moves) `id` of `pool` to `account`.
    void remember(const std::string& pool, const std::string& id, const std::string& account);
    std::optional<std::string> owner(const std::string& pool, const std::string& id) const;
    /// Records that no account probed has `id` of `pool`, until `until`.
    void rememberMissing(const std::string& pool, const std::string& id, sdk::TimePoint until);
    /// Whether `id` of `pool` was recorded missing and that still holds at `now`.
    bool knownMissing(const std::string& pool, const std::string& id, sdk::TimePoint now) const;

private:
    static std::string keyOf(const std::string& pool, const std::string& id) {
        return pool + '\n' + id;
    }

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::map<std::string, std::string> owners_;
    std::deque<std::string> order_;                  ///< keys, oldest first
    std::map<std::string, sdk::TimePoint> missing_;  ///< key -> until when
    std::deque<std::string> missing_order_;          ///< keys, oldest first
};

}  // namespace sluice::plugins::route_backend
