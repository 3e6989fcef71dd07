#include "memory_file_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryFileRepository::put(const sdk::FileRecord& file) noexcept {
    return guarded("files.put", [&] {
        sdk::FileRecord stored = file;
        stored.created_at = toStoredTime(file.created_at);
        stored.expires_at = toStoredTime(file.expires_at);
        std::lock_guard lock(state_.mutex);
        state_.files.insert_or_assign({file.pool, file.id}, std::move(stored));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::FileRecord> MemoryFileRepository::get(std::string_view pool, std::string_view id,
                                                       sdk::TimePoint now) noexcept {
    return guarded("files.get", [&]() -> sdk::Result<sdk::FileRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.files.find({std::string(pool), std::string(id)});
        if (found == state_.files.end() || found->second.expires_at <= toStoredTime(now)) {
            return notFound("file", id);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::FileRecord>> MemoryFileRepository::list(std::string_view pool,
                                                                     sdk::TimePoint now,
                                                                     std::uint32_t limit) noexcept {
    return guarded("files.list", [&]() -> sdk::Result<std::vector<sdk::FileRecord>> {
        std::vector<sdk::FileRecord> files;
        {
            std::lock_guard lock(state_.mutex);
            for (const auto& [key, file] : state_.files) {
                if (key.first == pool && file.expires_at > toStoredTime(now)) {
                    files.push_back(file);
                }
            }
        }
        std::sort(files.begin(), files.end(),
                  [](const sdk::FileRecord& a, const sdk::FileRecord& b) {
                      return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
                  });
        if (files.size() > limit) {
            files.resize(limit);
        }
        return files;
    });
}

sdk::Status MemoryFileRepository::remove(std::string_view pool, std::string_view id) noexcept {
    return guarded("files.remove", [&] {
        std::lock_guard lock(state_.mutex);
        return state_.files.erase({std::string(pool), std::string(id)}) == 0
                   ? notFound("file", id)
                   : sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> MemoryFileRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("files.purge_expired", [&]() -> sdk::Result<std::uint64_t> {
        const sdk::TimePoint cutoff = toStoredTime(now);
        std::lock_guard lock(state_.mutex);
        return static_cast<std::uint64_t>(std::erase_if(
            state_.files, [&](const auto& entry) { return entry.second.expires_at <= cutoff; }));
    });
}

}  // namespace sluice::plugins::storage_memory
