#include "core/routing/file_owner_table.hpp"

#include <limits>
#include <mutex>

#include "core/routing/pool_scoped_key.hpp"

namespace sluice::core::routing {

std::optional<std::string> FileOwnerTable::owner(std::string_view pool, std::string_view file_id,
                                                 sdk::TimePoint now) const {
    const std::string composite = poolScopedKey(pool, file_id);
    std::shared_lock lock(mutex_);
    const auto it = entries_.find(composite);
    if (it == entries_.end() || it->second.expires_at <= now) {
        return std::nullopt;
    }
    return it->second.account_id;
}

void FileOwnerTable::record(const sdk::FileRecord& file, sdk::TimePoint now) {
    std::string composite = poolScopedKey(file.pool, file.id);
    std::unique_lock lock(mutex_);
    if (now >= next_sweep_) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            it = it->second.expires_at <= now ? entries_.erase(it) : std::next(it);
        }
        next_sweep_ = now + kSweepInterval;
    }
    entries_.insert_or_assign(std::move(composite), Entry{file.account_id, file.expires_at});
}

sdk::Status FileOwnerTable::load(sdk::FileRepository& files, const std::vector<std::string>& pools,
                                 sdk::TimePoint now) {
    for (const std::string& pool : pools) {
        auto listed = files.list(pool, now, std::numeric_limits<std::uint32_t>::max());
        if (!listed.ok()) {
            return listed.status();
        }
        for (const sdk::FileRecord& file : listed.value()) {
            record(file, now);
        }
    }
    return sdk::Status::success();
}

std::size_t FileOwnerTable::size() const {
    std::shared_lock lock(mutex_);
    return entries_.size();
}

}  // namespace sluice::core::routing
