#pragma once

// Upstream request targets. A route family builds every upstream path with UpstreamPath, which
// percent-encodes each client-chosen part: a decoded path parameter such as
// "x HTTP/1.1\r\nHost: y" or "abc?x=1" stays one segment and can neither end the request line,
// add a header, a segment or a query. The host refuses, before any connection is touched, a
// target that isSafeRequestTarget() rejects, so a family that forgets cannot split a request.

#include <string>
#include <string_view>
#include <utility>

namespace sluice::sdk {

namespace upstream_path_detail {

inline bool isUnreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

inline bool isHexDigit(unsigned char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// RFC 3986 pchar without the percent sign, plus '/' and '?' (path and query).
inline bool isTargetCharacter(unsigned char c) noexcept {
    if (isUnreserved(c)) {
        return true;
    }
    switch (c) {
        case '!':
        case '$':
        case '&':
        case '\'':
        case '(':
        case ')':
        case '*':
        case '+':
        case ',':
        case ';':
        case '=':
        case ':':
        case '@':
        case '/':
        case '?':
            return true;
        default:
            return false;
    }
}

}  // namespace upstream_path_detail

/// `component` with every byte but RFC 3986's unreserved characters percent-encoded; safe as one
/// path segment or one query name or value. Any thread.
inline std::string percentEncoded(std::string_view component) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(component.size());
    for (const char ch : component) {
        const auto c = static_cast<unsigned char>(ch);
        if (upstream_path_detail::isUnreserved(c)) {
            out += ch;
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

/// Whether an HTTP/1.1 request line can carry `target` as it is: an absolute path with an
/// optional query, made only of RFC 3986 path and query characters and well-formed percent
/// escapes (no space, control, non-ASCII byte or fragment). Any thread.
inline bool isSafeRequestTarget(std::string_view target) noexcept {
    if (target.empty() || target.front() != '/') {
        return false;
    }
    for (std::size_t i = 0; i < target.size(); ++i) {
        const auto c = static_cast<unsigned char>(target[i]);
        if (c == '%') {
            if (i + 2 >= target.size()) {
                return false;
            }
            if (!upstream_path_detail::isHexDigit(static_cast<unsigned char>(target[i + 1])) ||
                !upstream_path_detail::isHexDigit(static_cast<unsigned char>(target[i + 2]))) {
                return false;
            }
            i += 2;
        } else if (!upstream_path_detail::isTargetCharacter(c)) {
            return false;
        }
    }
    return true;
}

/// The path and query of one upstream request: a trusted base from configuration, then
/// client-chosen parts, each encoded. Request thread; a value type.
class UpstreamPath {
public:
    /// `base` comes from configuration (e.g. "/backend-api/wham") and is kept as it is.
    explicit UpstreamPath(std::string base) : target_(std::move(base)) {}

    /// Appends one decoded segment (any bytes), encoded.
    UpstreamPath& segment(std::string_view decoded) {
        target_ += '/';
        target_ += percentEncoded(decoded);
        return *this;
    }

    /// Appends a decoded relative path ("tasks/abc/turns"), encoding each '/'-separated segment.
    UpstreamPath& segments(std::string_view decoded_path) {
        while (true) {
            const std::size_t slash = decoded_path.find('/');
            segment(decoded_path.substr(0, slash));
            if (slash == std::string_view::npos) {
                return *this;
            }
            decoded_path.remove_prefix(slash + 1);
        }
    }

    /// Appends the client's raw query (as received, still encoded); the host checks it.
    UpstreamPath& rawQuery(std::string_view raw) {
        if (!raw.empty()) {
            target_ += has_query_ ? '&' : '?';
            target_ += raw;
            has_query_ = true;
        }
        return *this;
    }

    /// Appends one query parameter, name and value encoded.
    UpstreamPath& param(std::string_view name, std::string_view value) {
        target_ += has_query_ ? '&' : '?';
        target_ += percentEncoded(name);
        target_ += '=';
        target_ += percentEncoded(value);
        has_query_ = true;
        return *this;
    }

    const std::string& str() const& noexcept { return target_; }
    std::string str() && noexcept { return std::move(target_); }

private:
    std::string target_;
    bool has_query_ = false;
};

}  // namespace sluice::sdk
