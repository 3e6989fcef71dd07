#include "memory_response_repository.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

namespace {

bool listed(const sdk::StoredResponseRecord& record, const sdk::StoredResponseQuery& query) {
    return record.owner_key == query.owner_key && record.kind == query.kind &&
           (query.model.empty() || record.model == query.model) &&
           record.expires_at > toStoredTime(query.now);
}

}  // namespace

sdk::Status MemoryResponseRepository::save(const sdk::StoredResponseRecord& record) noexcept {
    return guarded("responses.save", [&] {
        sdk::StoredResponseRecord copy = record;
        copy.created_at = toStoredTime(record.created_at);
        copy.expires_at = toStoredTime(record.expires_at);
        std::lock_guard lock(state_.mutex);
        state_.stored_responses.insert_or_assign(record.id, std::move(copy));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::StoredResponseRecord> MemoryResponseRepository::get(std::string_view id) noexcept {
    return guarded("responses.get", [&]() -> sdk::Result<sdk::StoredResponseRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.stored_responses.find(id);
        if (found == state_.stored_responses.end()) {
            return notFound("stored response", id);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::StoredResponseRecord>> MemoryResponseRepository::list(
    const sdk::StoredResponseQuery& query) noexcept {
    using Page = std::vector<sdk::StoredResponseRecord>;
    return guarded("responses.list", [&]() -> sdk::Result<Page> {
        using Key = std::pair<sdk::TimePoint, std::string>;
        std::optional<Key> anchor;
        Page matching;
        {
            std::lock_guard lock(state_.mutex);
            if (!query.after_id.empty()) {
                const auto found = state_.stored_responses.find(query.after_id);
                if (found == state_.stored_responses.end() ||
                    found->second.owner_key != query.owner_key ||
                    found->second.kind != query.kind) {
                    return Page{};
                }
                anchor = Key{found->second.created_at, found->second.id};
            }
            for (const auto& [id, record] : state_.stored_responses) {
                const Key key{record.created_at, record.id};
                if (listed(record, query) &&
                    (!anchor || (query.ascending ? key > *anchor : key < *anchor))) {
                    matching.push_back(record);
                }
            }
        }
        std::sort(matching.begin(), matching.end(), [&](const auto& a, const auto& b) {
            return query.ascending ? std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id)
                                   : std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
        });
        if (matching.size() > query.limit) {
            matching.resize(query.limit);
        }
        return matching;
    });
}

sdk::Status MemoryResponseRepository::remove(std::string_view id) noexcept {
    return guarded("responses.remove", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.stored_responses.find(id);
        if (found == state_.stored_responses.end()) {
            return notFound("stored response", id);
        }
        state_.stored_responses.erase(found);
        return sdk::Status::success();
    });
}

sdk::Result<std::uint64_t> MemoryResponseRepository::purgeExpired(sdk::TimePoint now) noexcept {
    return guarded("responses.purge", [&]() -> sdk::Result<std::uint64_t> {
        std::lock_guard lock(state_.mutex);
        return static_cast<std::uint64_t>(std::erase_if(
            state_.stored_responses,
            [&](const auto& entry) { return entry.second.expires_at <= toStoredTime(now); }));
    });
}

}  // namespace sluice::plugins::storage_memory
