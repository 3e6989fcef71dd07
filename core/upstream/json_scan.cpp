#include "core/upstream/json_scan.hpp"

namespace sluice::core::upstream {

namespace {

// Returns the index just past the closing quote of the string starting at `open`, or npos.
std::size_t skipString(std::string_view text, std::size_t open) noexcept {
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
            ++i;
        } else if (text[i] == '"') {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

bool isSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Returns the index just past the object or array opening at `open`, or npos when it does not
// close. Brackets inside strings do not count.
std::size_t skipNested(std::string_view text, std::size_t open) noexcept {
    std::size_t depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            i = skipString(text, i);
            if (i == std::string_view::npos) {
                return i;
            }
            --i;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

// The offset of the value of top-level member `key`, or nullopt.
std::optional<std::size_t> findTopLevelValue(std::string_view json, std::string_view key) noexcept {
    std::size_t i = 0;
    while (i < json.size() && isSpace(json[i])) {
        ++i;
    }
    if (i >= json.size() || json[i] != '{') {
        return std::nullopt;
    }
    int depth = 0;
    bool expecting_key = false;
    for (; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            const std::size_t end = skipString(json, i);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            if (depth == 1 && expecting_key) {
                const std::string_view name = json.substr(i + 1, end - i - 2);
                std::size_t j = end;
                while (j < json.size() && isSpace(json[j])) {
                    ++j;
                }
                if (j >= json.size() || json[j] != ':') {
                    return std::nullopt;
                }
                ++j;
                while (j < json.size() && isSpace(json[j])) {
                    ++j;
                }
                if (name == key) {
                    return j < json.size() ? std::optional<std::size_t>(j) : std::nullopt;
                }
                expecting_key = false;
                i = j - 1;
                continue;
            }
            i = end - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
            expecting_key = depth == 1;
        } else if (c == '}' || c == ']') {
            --depth;
            if (depth == 0) {
                return std::nullopt;
            }
        } else if (c == ',' && depth == 1) {
            expecting_key = true;
        }
    }
    return std::nullopt;
}

// The end of a number, boolean or null starting at `start`.
std::size_t skipLiteral(std::string_view text, std::size_t start) noexcept {
    std::size_t end = start;
    while (end < text.size() && text[end] != ',' && text[end] != '}' && text[end] != ']' &&
           !isSpace(text[end])) {
        ++end;
    }
    return end;
}

}  // namespace

std::optional<std::string_view> topLevelString(std::string_view json,
                                               std::string_view key) noexcept {
    const auto start = findTopLevelValue(json, key);
    if (!start || json[*start] != '"') {
        return std::nullopt;
    }
    const std::size_t end = skipString(json, *start);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    return json.substr(*start + 1, end - *start - 2);
}

std::optional<std::string_view> topLevelLiteral(std::string_view json,
                                                std::string_view key) noexcept {
    const auto start = findTopLevelValue(json, key);
    if (!start || json[*start] == '"' || json[*start] == '{' || json[*start] == '[') {
        return std::nullopt;
    }
    return json.substr(*start, skipLiteral(json, *start) - *start);
}

std::optional<std::string_view> topLevelValue(std::string_view json,
                                              std::string_view key) noexcept {
    const auto start = findTopLevelValue(json, key);
    if (!start) {
        return std::nullopt;
    }
    const char first = json[*start];
    const std::size_t end = first == '"'                   ? skipString(json, *start)
                            : first == '{' || first == '[' ? skipNested(json, *start)
                                                           : skipLiteral(json, *start);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    return json.substr(*start, end - *start);
}

bool isFramedObject(std::string_view json) noexcept {
    std::size_t i = 0;
    while (i < json.size() && isSpace(json[i])) {
        ++i;
    }
    if (i >= json.size() || json[i] != '{') {
        return false;
    }
    i = skipNested(json, i);
    if (i == std::string_view::npos) {
        return false;
    }
    while (i < json.size() && isSpace(json[i])) {
        ++i;
    }
    return i == json.size();
}

}  // namespace sluice::core::upstream
