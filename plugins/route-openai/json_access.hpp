#pragma once

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/json_access.hpp"

namespace sluice::plugins::route_openai {

using common::countOf;
using common::flagOf;
using common::isString;
using common::member;
using common::parseJson;
using common::textOf;

}  // namespace sluice::plugins::route_openai
