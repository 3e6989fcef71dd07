#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_responses.hpp"

namespace sluice::plugins::storage_memory {

/// Sealed stored answers of the opt-in response store. Thread-safe.
class MemoryResponseRepository final : public sdk::ResponseRepository {
public:
    explicit MemoryResponseRepository(MemoryState& state) : state_(state) {}

    sdk::Status save(const sdk::StoredResponseRecord& record) noexcept override;
    sdk::Result<sdk::StoredResponseRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::StoredResponseRecord>> list(
        const sdk::StoredResponseQuery& query) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
