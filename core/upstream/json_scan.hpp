#pragma once

#include <optional>
#include <string_view>

namespace sluice::core::upstream {

/// The raw value of a top-level string member of a JSON object (escapes left as they are),
/// found without building a document: SSE relaying reads the "type" of every event and must stay
/// cheap. nullopt when the text is not an object or the member is absent or not a string.
std::optional<std::string_view> topLevelString(std::string_view json,
                                               std::string_view key) noexcept;
/// The raw text of a top-level number, boolean or null member ("false", "12"), same rules.
std::optional<std::string_view> topLevelLiteral(std::string_view json,
                                                std::string_view key) noexcept;
/// The raw text of a top-level member of any kind ("{...}", "[...]", "\"...\"", "12"), same
/// rules; nullopt as well when an object or array in it is not closed.
std::optional<std::string_view> topLevelValue(std::string_view json, std::string_view key) noexcept;
/// Whether the text is one JSON object whose brackets and strings all close, with nothing but
/// whitespace after it. Checks the frame, not every token: a cheap guard against truncated or
/// concatenated text before reading members with the functions above.
bool isFramedObject(std::string_view json) noexcept;

}  // namespace sluice::core::upstream
