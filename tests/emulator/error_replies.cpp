#include "tests/emulator/error_replies.hpp"

#include "tests/emulator/http_util.hpp"
#include "tests/emulator/rate_limit_views.hpp"

namespace sluice::emulator {
namespace {

std::string messageOr(const Behaviour& behaviour, const char* fallback) {
    return behaviour.error_message.empty() ? fallback : behaviour.error_message;
}

}  // namespace

std::string defaultErrorCode(const Behaviour& behaviour) {
    if (!behaviour.error_code.empty())
        return behaviour.error_code;
    switch (behaviour.mode) {
        case Mode::kFailFirstEvent:
            return "server_is_overloaded";
        case Mode::kRateLimited:
            return "rate_limit_exceeded";
        case Mode::kError:
            return behaviour.status == 503 ? "server_is_overloaded" : "server_error";
        default:
            return "server_error";
    }
}

ErrorReply unauthorizedReply(bool expired) {
    if (expired) {
        return {401, errorBody("invalid_request_error", "token_expired",
                               "Provided authentication token is expired. Please try signing in "
                               "again.")};
    }
    return {401, errorBody("invalid_request_error", "invalid_token",
                           "The bearer token and chatgpt-account-id do not match an emulated "
                           "account.")};
}

std::optional<ErrorReply> errorReplyFor(const Behaviour& behaviour, const AccountSpec& profile,
                                        std::int64_t now) {
    switch (behaviour.mode) {
        case Mode::kUnauthorized:
            return unauthorizedReply(true);
        case Mode::kUsageLimit: {
            const auto resets_at = usageLimitResetAt(behaviour, profile.rate_limits, now);
            nlohmann::json error = {
                {"type", "usage_limit_reached"},
                {"message", messageOr(behaviour, "The usage limit has been reached")},
                {"plan_type", profile.plan_type},
                {"resets_at", resets_at},
                {"resets_in_seconds", std::max<std::int64_t>(0, resets_at - now)},
            };
            return ErrorReply{behaviour.status != 0 ? behaviour.status : 429,
                              {{"error", std::move(error)}}};
        }
        case Mode::kRateLimited:
            return ErrorReply{
                behaviour.status != 0 ? behaviour.status : 429,
                errorBody("requests", defaultErrorCode(behaviour),
                          messageOr(behaviour, "Rate limit reached. Please try again in 1.5s."))};
        case Mode::kError: {
            const int status = behaviour.status != 0 ? behaviour.status : 500;
            return ErrorReply{status,
                              errorBody("server_error", defaultErrorCode(behaviour),
                                        messageOr(behaviour,
                                                  "The server had an error while processing "
                                                  "your request."))};
        }
        default:
            return std::nullopt;
    }
}

}  // namespace sluice::emulator
