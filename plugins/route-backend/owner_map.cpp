#include "owner_map.hpp"

namespace sluice::plugins::route_backend {

void OwnerMap::remember(const std::string& pool, const std::string& id,
                        const std::string& account) {
    if (id.empty() || account.empty()) {
        return;
    }
    std::string key = keyOf(pool, id);
    const std::lock_guard lock(mutex_);
    missing_.erase(key);  // its key stays in missing_order_ until it comes up for eviction
    const auto [it, fresh] = owners_.insert_or_assign(key, account);
    if (!fresh) {
        return;
    }
    order_.push_back(std::move(key));
    while (owners_.size() > capacity_) {
        owners_.erase(order_.front());
        order_.pop_front();
    }
}

std::optional<std::string> OwnerMap::owner(const std::string& pool, const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto it = owners_.find(keyOf(pool, id));
    if (it == owners_.end()) {
        return std::nullopt;
    }
    return it->second;
}

void OwnerMap::rememberMissing(const std::string& pool, const std::string& id,
                               sdk::TimePoint until) {
    std::string key = keyOf(pool, id);
    const std::lock_guard lock(mutex_);
    const auto [it, fresh] = missing_.insert_or_assign(key, until);
    if (!fresh) {
        return;
    }
    missing_order_.push_back(std::move(key));
    while (missing_order_.size() > capacity_) {
        missing_.erase(missing_order_.front());
        missing_order_.pop_front();
    }
}

bool OwnerMap::knownMissing(const std::string& pool, const std::string& id,
                            sdk::TimePoint now) const {
    const std::lock_guard lock(mutex_);
    const auto it = missing_.find(keyOf(pool, id));
    return it != missing_.end() && now < it->second;
}

}  // namespace sluice::plugins::route_backend
