#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace sluice::core::security {

/// `text` parsed, or a discarded value when it is not JSON or nests deeper than
/// sdk::kMaxJsonDepth. The host's only way to parse JSON it did not write itself. Any thread.
nlohmann::json parseJson(std::string_view text);

}  // namespace sluice::core::security
