#pragma once

#include <algorithm>
#include <string_view>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/json_access.hpp"

namespace sluice::plugins::route_openai {

using common::countOf;
using common::flagOf;
using common::isString;
using common::member;
using common::parseJson;
using common::textOf;

/// True when a request parameter's `name` is one of `names` (a translator's parameter table).
inline bool isOneOf(std::string_view name, const auto& names) {
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

}  // namespace sluice::plugins::route_openai
