#include "core/accounting/usage_counts.hpp"

namespace sluice::core::accounting {

void addUsageCounts(sdk::UsageBucket& sum, const sdk::UsageBucket& part) {
    sum.requests += part.requests;
    sum.errors += part.errors;
    sum.input_tokens += part.input_tokens;
    sum.cached_input_tokens += part.cached_input_tokens;
    sum.output_tokens += part.output_tokens;
    sum.reasoning_tokens += part.reasoning_tokens;
}

}  // namespace sluice::core::accounting
