#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace sluice::plugins::common {

/// `text` parsed, or a discarded value when it is not JSON or nests deeper than
/// sdk::kMaxJsonDepth: how first-party plugins parse every JSON text. Any thread.
nlohmann::json parseJson(std::string_view text);

}  // namespace sluice::plugins::common
