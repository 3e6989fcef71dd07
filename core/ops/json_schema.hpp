#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sluice::core::ops {

/// Checks `value` against a JSON Schema written in the subset operations declare: `type` (one
/// name or a list), `properties`, `required`, `additionalProperties` (false or a schema),
/// `items`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `maxItems`. Returns the
/// first problem, naming its path ("limit: must be an integer"), or nullopt when it conforms.
std::optional<std::string> schemaViolation(const nlohmann::json& schema,
                                           const nlohmann::json& value,
                                           const std::string& path = "");

}  // namespace sluice::core::ops
