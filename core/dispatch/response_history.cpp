#include "core/dispatch/response_history.hpp"

namespace sluice::core::dispatch {

std::string ResponseHistory::keyOf(std::string_view pool, std::string_view response_id) {
    std::string key;
    key.reserve(pool.size() + 1 + response_id.size());
    key.append(pool).push_back('\n');
    key.append(response_id);
    return key;
}

void ResponseHistory::evictOldest() {
    const auto entry = entries_.find(oldest_first_.front());
    bytes_ -= entry->second.recorded.bytes;
    entries_.erase(entry);
    oldest_first_.pop_front();
}

void ResponseHistory::remember(std::string_view pool, std::string_view response_id,
                               nlohmann::json items, std::size_t bytes) {
    if (response_id.empty() || settings_.max_entries == 0 || bytes > settings_.max_bytes) {
        return;
    }
    auto shared = std::make_shared<const nlohmann::json>(std::move(items));
    std::string key = keyOf(pool, response_id);
    std::lock_guard lock(mutex_);
    if (const auto known = entries_.find(key); known != entries_.end()) {
        bytes_ -= known->second.recorded.bytes;
        oldest_first_.erase(known->second.age);
        entries_.erase(known);
    }
    while (!oldest_first_.empty() &&
           (entries_.size() >= settings_.max_entries || bytes_ + bytes > settings_.max_bytes)) {
        evictOldest();
    }
    oldest_first_.push_back(key);
    entries_.emplace(std::move(key),
                     Entry{{std::move(shared), bytes}, std::prev(oldest_first_.end())});
    bytes_ += bytes;
}

ResponseHistory::Recorded ResponseHistory::lookup(std::string_view pool,
                                                  std::string_view response_id) const {
    const std::string key = keyOf(pool, response_id);
    std::lock_guard lock(mutex_);
    const auto entry = entries_.find(key);
    return entry != entries_.end() ? entry->second.recorded : Recorded{};
}

}  // namespace sluice::core::dispatch
