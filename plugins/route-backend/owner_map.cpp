#include "owner_map.hpp"

namespace sluice::plugins::route_backend {

void OwnerMap::remember(const std::string& pool, const std::string& id,
                        const std::string& account) {
    if (id.empty() || account.empty()) {
        return;
    }
    std::string key = keyOf(pool, id);
    const std::lock_guard lock(mutex_);
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

}  // namespace sluice::plugins::route_backend
