#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sluice::core::upstream {

/// scheme://host[:port] of an upstream, parsed once from configuration.
struct UpstreamOrigin {
    bool secure = true;
    std::string host;
    std::uint16_t port = 443;

    /// Parses "https://chatgpt.com" or "http://127.0.0.1:8080" (a path after the origin is
    /// ignored; request paths are absolute). nullopt when the URL is not http(s).
    static std::optional<UpstreamOrigin> parse(const std::string& url);
    std::string text() const;
};

}  // namespace sluice::core::upstream
