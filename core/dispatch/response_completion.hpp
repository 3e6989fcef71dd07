#pragma once

#include <string>
#include <string_view>

#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// The id and token usage of a completed Responses answer.
struct ResponseCompletion {
    std::string response_id;
    sdk::TokenUsage usage;
};

/// Reads a `response.completed` (or `response.failed`) event, which carries
/// {"response":{"id","usage"}}, or a plain JSON answer carrying them at the top. Missing
/// fields stay empty; total_tokens defaults to input + output.
ResponseCompletion readCompletion(std::string_view json_text);

void addUsage(sdk::TokenUsage& total, const sdk::TokenUsage& part) noexcept;

}  // namespace sluice::core::dispatch
