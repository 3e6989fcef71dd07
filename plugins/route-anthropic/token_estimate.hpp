#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

namespace sluice::plugins::route_anthropic {

/// An estimate of the input tokens of a translated Responses body, for count_tokens: its text
/// split the way BPE tokenizers pre-split (words with their leading space, digit runs of up
/// to three, punctuation runs, line breaks), each piece costing what such a piece usually
/// costs; each image a fixed 1600 tokens; each item a few tokens of framing. Not a tokenizer:
/// clients use it to budget a context window, never to bill. Pure.
std::uint64_t estimateInputTokens(const nlohmann::json& responses_body);

/// The estimate for one text.
std::uint64_t estimateTextTokens(std::string_view text);

}  // namespace sluice::plugins::route_anthropic
