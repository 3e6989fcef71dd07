#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// File ownership records per pool; expired once `now` reaches expires_at. Thread-safe.
class MemoryFileRepository final : public sdk::FileRepository {
public:
    explicit MemoryFileRepository(MemoryState& state) : state_(state) {}

    sdk::Status put(const sdk::FileRecord& file) noexcept override;
    sdk::Result<sdk::FileRecord> get(std::string_view pool, std::string_view id,
                                     sdk::TimePoint now) noexcept override;
    sdk::Result<std::vector<sdk::FileRecord>> list(std::string_view pool, sdk::TimePoint now,
                                                   std::uint32_t limit) noexcept override;
    sdk::Status remove(std::string_view pool, std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
