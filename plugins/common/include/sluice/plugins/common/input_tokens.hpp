#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "sluice/plugins/common/o200k_tokenizer.hpp"

namespace sluice::plugins::common {

/// The input tokens of a Responses request body (as sent upstream), counted locally for
/// count_tokens endpoints: every text of `instructions`, `input` and `tools` (names, arguments,
/// schemas' strings) exactly by the o200k_base tokenizer, plus a fixed framing per item and
/// per object of a few tokens and a fixed 1600 per image (the backend's own accounting of
/// roles, separators and images is not published). Ids, roles and type tags are not text.
/// Pure; any thread.
std::uint64_t countInputTokens(const nlohmann::json& responses_body,
                               const O200kTokenizer& tokenizer);

}  // namespace sluice::plugins::common
