#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sluice::core::dispatch {

/// The history of recent responses of pools that allow a handoff (pools.<name>.handoff): for
/// each response id, the items continuing it means (its full input, then its output items), so
/// a conversation whose account is gone can go on elsewhere. In memory, bounded by entries and
/// bytes, the oldest evicted first. Thread-safe; each call locks briefly.
class ResponseHistory final {
public:
    using Items = std::shared_ptr<const nlohmann::json>;

    /// A history and its size in bytes; `items` null when unknown.
    struct Recorded {
        Items items;
        std::size_t bytes = 0;
    };

    struct Settings {
        std::size_t max_entries = 0;  ///< server.handoff_history_entries
        std::size_t max_bytes = 0;    ///< server.handoff_history_bytes
    };

    explicit ResponseHistory(Settings settings) : settings_(settings) {}

    /// Keeps `items` (about `bytes` large) for `response_id`; a history larger than the whole
    /// bound is not kept.
    void remember(std::string_view pool, std::string_view response_id, nlohmann::json items,
                  std::size_t bytes);
    /// The history continuing `response_id` means; empty when unknown or evicted.
    Recorded lookup(std::string_view pool, std::string_view response_id) const;

    std::size_t maxBytes() const noexcept { return settings_.max_bytes; }

private:
    struct Entry {
        Recorded recorded;
        std::list<std::string>::iterator age;
    };

    static std::string keyOf(std::string_view pool, std::string_view response_id);
    void evictOldest();

    Settings settings_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> oldest_first_;
    std::size_t bytes_ = 0;
};

}  // namespace sluice::core::dispatch
