#pragma once

// One nesting limit for every JSON text the gateway or a plugin parses: client bodies, upstream
// answers and events, operator input. Printing, comparing and copying a parsed document recurse
// once per level, so a deeply nested text could exhaust a request thread's stack; the limit is
// checked on the text, before any parser sees it.

#include <string_view>

namespace sluice::sdk {

/// The deepest nesting of arrays and objects accepted anywhere.
inline constexpr int kMaxJsonDepth = 128;

/// Whether the arrays and objects in `text` nest at most `max_depth` deep (string contents are
/// skipped; an unbalanced close counts as too deep, as no parser would accept it). Any thread.
inline bool jsonDepthWithin(std::string_view text, int max_depth = kMaxJsonDepth) noexcept {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                return false;
            }
        } else if ((c == ']' || c == '}') && --depth < 0) {
            return false;
        }
    }
    return true;
}

}  // namespace sluice::sdk
