#include "memory_operator_token_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryOperatorTokenRepository::create(const sdk::OperatorTokenRecord& token) noexcept {
    return guarded("operator_tokens.create", [&] {
        std::lock_guard lock(state_.mutex);
        if (state_.operator_tokens.count(token.prefix) != 0) {
            return alreadyExists("operator token", token.prefix);
        }
        sdk::OperatorTokenRecord stored = token;
        stored.created_at = toStoredTime(token.created_at);
        stored.last_used_at = toStoredTime(token.last_used_at);
        state_.operator_tokens.emplace(
            token.prefix,
            Sequenced<sdk::OperatorTokenRecord>{std::move(stored), state_.next_sequence++});
        return sdk::Status::success();
    });
}

sdk::Result<sdk::OperatorTokenRecord> MemoryOperatorTokenRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("operator_tokens.find", [&]() -> sdk::Result<sdk::OperatorTokenRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.operator_tokens.find(prefix);
        if (found == state_.operator_tokens.end()) {
            return notFound("operator token", prefix);
        }
        return found->second.record;
    });
}

sdk::Result<std::vector<sdk::OperatorTokenRecord>> MemoryOperatorTokenRepository::list(
    sdk::OperatorTokenKind kind) noexcept {
    return guarded(
        "operator_tokens.list", [&]() -> sdk::Result<std::vector<sdk::OperatorTokenRecord>> {
            std::lock_guard lock(state_.mutex);
            return inCreationOrder(
                state_.operator_tokens,
                [&](const sdk::OperatorTokenRecord& token) { return token.kind == kind; });
        });
}

sdk::Status MemoryOperatorTokenRepository::setStatus(std::string_view prefix,
                                                     sdk::CredentialStatus status) noexcept {
    return guarded("operator_tokens.set_status", [&] {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.operator_tokens.find(prefix);
        if (found == state_.operator_tokens.end()) {
            return notFound("operator token", prefix);
        }
        found->second.record.status = status;
        return sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_memory
