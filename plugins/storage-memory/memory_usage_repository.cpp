#include "memory_usage_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryUsageRepository::add(const std::vector<sdk::UsageBucket>& deltas) noexcept {
    return guarded("usage.add", [&] {
        std::lock_guard lock(state_.mutex);
        // Build the new totals first so an allocation failure changes nothing.
        auto next = state_.usage;
        for (const sdk::UsageBucket& delta : deltas) {
            auto [it, fresh] = next.try_emplace(
                {delta.day, delta.pool, delta.key_prefix, delta.account_id, delta.model}, delta);
            if (!fresh) {
                sdk::UsageBucket& total = it->second;
                total.requests += delta.requests;
                total.errors += delta.errors;
                total.input_tokens += delta.input_tokens;
                total.cached_input_tokens += delta.cached_input_tokens;
                total.output_tokens += delta.output_tokens;
                total.reasoning_tokens += delta.reasoning_tokens;
            }
        }
        state_.usage = std::move(next);
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::UsageBucket>> MemoryUsageRepository::query(
    const sdk::UsageQuery& query) noexcept {
    return guarded("usage.query", [&]() -> sdk::Result<std::vector<sdk::UsageBucket>> {
        const auto matches = [](const std::optional<std::string>& wanted,
                                const std::string& value) { return !wanted || *wanted == value; };
        std::vector<sdk::UsageBucket> buckets;
        std::lock_guard lock(state_.mutex);
        for (const auto& [key, bucket] : state_.usage) {
            if (bucket.day >= query.from_day && bucket.day <= query.to_day &&
                matches(query.pool, bucket.pool) && matches(query.key_prefix, bucket.key_prefix) &&
                matches(query.account_id, bucket.account_id) &&
                matches(query.model, bucket.model)) {
                buckets.push_back(bucket);
            }
        }
        return buckets;
    });
}

}  // namespace sluice::plugins::storage_memory
