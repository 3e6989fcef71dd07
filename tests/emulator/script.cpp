#include "tests/emulator/script.hpp"

#include <array>
#include <utility>

namespace sluice::emulator {
namespace {

constexpr std::array<std::pair<std::string_view, Mode>, 10> kModeNames{{
    {"normal", Mode::kNormal},
    {"tool_call", Mode::kToolCall},
    {"usage_limit", Mode::kUsageLimit},
    {"rate_limited", Mode::kRateLimited},
    {"error", Mode::kError},
    {"unauthorized", Mode::kUnauthorized},
    {"cut", Mode::kCut},
    {"slow", Mode::kSlow},
    {"hang", Mode::kHang},
    {"fail_first_event", Mode::kFailFirstEvent},
}};

constexpr std::array<std::pair<std::string_view, OAuthMode>, 4> kOAuthModeNames{{
    {"normal", OAuthMode::kNormal},
    {"reused", OAuthMode::kReused},
    {"invalid_grant", OAuthMode::kInvalidGrant},
    {"error", OAuthMode::kError},
}};

}  // namespace

std::optional<Mode> parseMode(std::string_view text) {
    for (const auto& [name, mode] : kModeNames) {
        if (name == text)
            return mode;
    }
    return std::nullopt;
}

std::string_view modeName(Mode mode) {
    for (const auto& [name, value] : kModeNames) {
        if (value == mode)
            return name;
    }
    return "normal";
}

std::optional<OAuthMode> parseOAuthMode(std::string_view text) {
    for (const auto& [name, mode] : kOAuthModeNames) {
        if (name == text)
            return mode;
    }
    return std::nullopt;
}

std::string_view oauthModeName(OAuthMode mode) {
    for (const auto& [name, value] : kOAuthModeNames) {
        if (value == mode)
            return name;
    }
    return "normal";
}

}  // namespace sluice::emulator
