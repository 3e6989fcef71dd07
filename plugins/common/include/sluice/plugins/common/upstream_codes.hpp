#pragma once

#include <string>
#include <string_view>

namespace sluice::plugins::common {

/// True for short snake_case identifiers, the only upstream text a client may see. Any thread.
bool isSafeCode(std::string_view code) noexcept;

/// The code of an upstream error body {"error":{"code"|"type"}} when it is safe; else empty.
std::string upstreamErrorCode(const std::string& body);

}  // namespace sluice::plugins::common
