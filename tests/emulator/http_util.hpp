#pragma once

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::emulator {

/// Request bodies above this are refused with 413; Codex bodies are far smaller.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

/// Sends a complete JSON answer with a content length, so keep-alive connections stay usable.
void sendJson(Poco::Net::HTTPServerResponse& response, int status, const nlohmann::json& body);
void sendJsonText(Poco::Net::HTTPServerResponse& response, int status, const std::string& body);

/// The OpenAI error envelope: {"error":{"type","code","message"}}.
nlohmann::json errorBody(std::string_view type, std::string_view code, std::string_view message);

/// The token of an `Authorization: Bearer ...` header, or empty.
std::string bearerToken(const Poco::Net::HTTPRequest& request);
/// The request path without its query string.
std::string requestPath(const Poco::Net::HTTPRequest& request);
/// One decoded query parameter, or empty.
std::string queryParameter(const Poco::Net::HTTPRequest& request, std::string_view name);
/// Every decoded value of a query parameter that may repeat (`a=1&a=2`), in order.
std::vector<std::string> queryParameters(const Poco::Net::HTTPRequest& request,
                                         std::string_view name);

/// The whole body, or nullopt when it is larger than `limit`.
std::optional<std::string> readBody(std::istream& in, std::size_t limit);

/// Decodes application/x-www-form-urlencoded text into a JSON object of strings.
nlohmann::json parseFormBody(const std::string& body);

}  // namespace sluice::emulator
