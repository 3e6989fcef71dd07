#include "memory_api_key_repository.hpp"

#include <algorithm>

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

template <class Change>
sdk::Status MemoryApiKeyRepository::modify(const char* operation, std::string_view prefix,
                                           Change&& change) noexcept {
    return guarded(operation, [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.api_keys.find(prefix);
        if (found == state_.api_keys.end()) {
            return notFound("api key", prefix);
        }
        change(found->second.record);
        return sdk::Status::success();
    });
}

sdk::Status MemoryApiKeyRepository::create(const sdk::ApiKeyRecord& key) noexcept {
    return guarded("api_keys.create", [&] {
        std::lock_guard lock(state_.mutex);
        if (state_.api_keys.count(key.prefix) != 0) {
            return alreadyExists("api key", key.prefix);
        }
        sdk::ApiKeyRecord stored = key;
        stored.created_at = toStoredTime(key.created_at);
        stored.updated_at = toStoredTime(key.updated_at);
        stored.last_used_at = toStoredTime(key.last_used_at);
        state_.api_keys.emplace(
            key.prefix, Sequenced<sdk::ApiKeyRecord>{std::move(stored), state_.next_sequence++});
        return sdk::Status::success();
    });
}

sdk::Result<sdk::ApiKeyRecord> MemoryApiKeyRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("api_keys.find", [&]() -> sdk::Result<sdk::ApiKeyRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.api_keys.find(prefix);
        if (found == state_.api_keys.end()) {
            return notFound("api key", prefix);
        }
        return found->second.record;
    });
}

sdk::Result<std::vector<sdk::ApiKeyRecord>> MemoryApiKeyRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("api_keys.list", [&]() -> sdk::Result<std::vector<sdk::ApiKeyRecord>> {
        std::lock_guard lock(state_.mutex);
        return inCreationOrder(state_.api_keys, [&](const sdk::ApiKeyRecord& key) {
            return !pool || key.pool == *pool;
        });
    });
}

sdk::Status MemoryApiKeyRepository::setStatus(std::string_view prefix, sdk::CredentialStatus status,
                                              sdk::TimePoint updated_at) noexcept {
    return modify("api_keys.set_status", prefix, [&](sdk::ApiKeyRecord& key) {
        key.status = status;
        key.updated_at = toStoredTime(updated_at);
    });
}

sdk::Status MemoryApiKeyRepository::setPolicy(std::string_view prefix, std::string_view policy_json,
                                              sdk::TimePoint updated_at) noexcept {
    return modify("api_keys.set_policy", prefix, [&](sdk::ApiKeyRecord& key) {
        key.policy_json = std::string(policy_json);
        key.updated_at = toStoredTime(updated_at);
    });
}

sdk::Status MemoryApiKeyRepository::setHash(std::string_view prefix, std::string_view hash,
                                            sdk::TimePoint updated_at) noexcept {
    return modify("api_keys.set_hash", prefix, [&](sdk::ApiKeyRecord& key) {
        key.hash = std::string(hash);
        key.updated_at = toStoredTime(updated_at);
    });
}

sdk::Status MemoryApiKeyRepository::touch(std::string_view prefix,
                                          sdk::TimePoint used_at) noexcept {
    return modify("api_keys.touch", prefix, [&](sdk::ApiKeyRecord& key) {
        key.last_used_at = std::max(key.last_used_at, toStoredTime(used_at));
    });
}

}  // namespace sluice::plugins::storage_memory
