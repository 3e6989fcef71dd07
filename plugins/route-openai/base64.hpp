#pragma once

#include <string>
#include <string_view>

namespace sluice::plugins::route_openai {

/// Standard base64 with padding (RFC 4648 §4), for data URLs of uploaded images.
std::string base64Encode(std::string_view bytes);

}  // namespace sluice::plugins::route_openai
