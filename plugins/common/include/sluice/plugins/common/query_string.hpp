#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::plugins::common {

/// The name=value pairs of a raw query string, in order, percent- and '+'-decoded.
std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query);

/// The first value of `name` in a raw query string, decoded; nullopt when absent.
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

}  // namespace sluice::plugins::common
