#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/plugins/common/o200k_tokenizer.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::plugins::common {

/// The input tokens of a Responses request body (as sent upstream), counted locally for
/// count_tokens endpoints: every text of `instructions`, `input` and `tools` (names, arguments,
/// schemas' strings) exactly by the o200k_base tokenizer, plus a fixed framing per item and
/// per object of a few tokens and a fixed 1600 per image (the backend's own accounting of
/// roles, separators and images is not published). Ids, roles and type tags are not text.
/// Pure; any thread.
std::uint64_t countInputTokens(const nlohmann::json& responses_body,
                               const O200kTokenizer& tokenizer);

/// The `o200k_ranks_path` schema field every family with a count_tokens endpoint declares, so
/// they share one default (where the package installs the ranks).
sdk::ConfigField o200kRanksField();

/// The tokenizer from the ranks file at `key`, loaded once; null when no file is there (the
/// count_tokens endpoints then answer tokenizerUnavailable()). A file that is there and does not
/// load is a ConfigError at `key`'s path. Config time.
O200kTokenizerPtr loadO200kTokenizer(const sdk::ConfigNode& config, std::string_view key);

/// 500 tokenizer_unavailable: the gateway was started without the o200k_base ranks.
sdk::ErrorInfo tokenizerUnavailable();

}  // namespace sluice::plugins::common
