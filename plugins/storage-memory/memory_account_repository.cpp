#include "memory_account_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryAccountRepository::create(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.create", [&] {
        std::lock_guard lock(state_.mutex);
        if (state_.accounts.count(account.id) != 0) {
            return alreadyExists("account", account.id);
        }
        for (const auto& [id, existing] : state_.accounts) {
            if (existing.record.label == account.label) {
                return alreadyExists("account label", account.label);
            }
            if (existing.record.chatgpt_account_id == account.chatgpt_account_id &&
                existing.record.chatgpt_user_id == account.chatgpt_user_id) {
                return alreadyExists("chatgpt seat", account.chatgpt_account_id);
            }
        }
        sdk::AccountRecord stored = account;
        stored.access_expires_at = toStoredTime(account.access_expires_at);
        stored.last_refresh_at = toStoredTime(account.last_refresh_at);
        stored.created_at = toStoredTime(account.created_at);
        stored.updated_at = toStoredTime(account.updated_at);
        state_.accounts.emplace(
            account.id, Sequenced<sdk::AccountRecord>{std::move(stored), state_.next_sequence++});
        return sdk::Status::success();
    });
}

sdk::Status MemoryAccountRepository::update(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.update", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.accounts.find(account.id);
        if (found == state_.accounts.end()) {
            return notFound("account", account.id);
        }
        for (const auto& [id, existing] : state_.accounts) {
            if (id != account.id && existing.record.label == account.label) {
                return alreadyExists("account label", account.label);
            }
        }
        sdk::AccountRecord updated = found->second.record;
        updated.pool = account.pool;
        updated.label = account.label;
        updated.plan_type = account.plan_type;
        updated.weight = account.weight;
        updated.priority = account.priority;
        updated.labels = account.labels;
        updated.updated_at = toStoredTime(account.updated_at);
        found->second.record = std::move(updated);
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AccountRecord> MemoryAccountRepository::get(std::string_view id) noexcept {
    return guarded("accounts.get", [&]() -> sdk::Result<sdk::AccountRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.accounts.find(id);
        if (found == state_.accounts.end()) {
            return notFound("account", id);
        }
        return found->second.record;
    });
}

sdk::Result<std::vector<sdk::AccountRecord>> MemoryAccountRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("accounts.list", [&]() -> sdk::Result<std::vector<sdk::AccountRecord>> {
        std::lock_guard lock(state_.mutex);
        return inCreationOrder(state_.accounts, [&](const sdk::AccountRecord& account) {
            return !pool || account.pool == *pool;
        });
    });
}

sdk::Status MemoryAccountRepository::updateStatus(std::string_view id, sdk::AccountStatus status,
                                                  std::string_view reason,
                                                  sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_status", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.accounts.find(id);
        if (found == state_.accounts.end()) {
            return notFound("account", id);
        }
        sdk::AccountRecord& account = found->second.record;
        account.status_reason = std::string(reason);
        account.status = status;
        account.updated_at = toStoredTime(updated_at);
        return sdk::Status::success();
    });
}

sdk::Status MemoryAccountRepository::updateCredentials(std::string_view id,
                                                       const sdk::AccountCredentials& credentials,
                                                       sdk::AccountStatus status,
                                                       sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_credentials", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.accounts.find(id);
        if (found == state_.accounts.end()) {
            return notFound("account", id);
        }
        // Copy first so a failed allocation leaves the stored account untouched.
        sdk::AccountRecord account = found->second.record;
        account.access_token = credentials.access_token;
        account.refresh_token = credentials.refresh_token;
        account.id_token = credentials.id_token;
        account.access_expires_at = toStoredTime(credentials.access_expires_at);
        account.last_refresh_at = toStoredTime(credentials.last_refresh_at);
        account.status = status;
        account.status_reason.clear();
        account.updated_at = toStoredTime(updated_at);
        found->second.record = std::move(account);
        return sdk::Status::success();
    });
}

sdk::Status MemoryAccountRepository::remove(std::string_view id) noexcept {
    return guarded("accounts.remove", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.accounts.find(id);
        if (found == state_.accounts.end()) {
            return notFound("account", id);
        }
        std::erase_if(state_.quotas, [&](const auto& entry) { return entry.first.first == id; });
        state_.accounts.erase(found);
        return sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_memory
