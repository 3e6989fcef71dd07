#include "tests/emulator/rate_limit_views.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace sluice::emulator {
namespace {

/// 12.0 prints as "12", 12.5 as "12.5": what the backend sends and clients parse as a float.
std::string percentText(double value) {
    if (std::floor(value) == value && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    auto text = std::to_string(value);
    while (!text.empty() && text.back() == '0')
        text.pop_back();
    if (!text.empty() && text.back() == '.')
        text.pop_back();
    return text;
}

nlohmann::json percentJson(double value) {
    if (std::floor(value) == value && std::fabs(value) < 1e15) {
        return static_cast<long long>(value);
    }
    return value;
}

void addWindowHeaders(Poco::Net::HTTPResponse& response, const char* name, const RateWindow& window,
                      std::optional<std::int64_t> drift_now) {
    const std::string prefix = std::string("x-codex-") + name + "-";
    response.set(prefix + "used-percent", percentText(window.used_percent));
    response.set(prefix + "window-minutes", std::to_string(window.window_minutes));
    if (window.reset_at != 0) {
        response.set(prefix + "reset-at", std::to_string(window.reset_at));
        if (drift_now) {
            response.set(prefix + "reset-after-seconds",
                         std::to_string(std::max<std::int64_t>(0, window.reset_at - *drift_now)));
        }
    }
}

nlohmann::json usageWindow(const RateWindow& window, std::int64_t now) {
    return {{"used_percent", percentJson(window.used_percent)},
            {"limit_window_seconds", static_cast<std::int64_t>(window.window_minutes) * 60},
            {"reset_after_seconds", std::max<std::int64_t>(0, window.reset_at - now)},
            {"reset_at", window.reset_at}};
}

nlohmann::json creditsJson(const std::optional<Credits>& credits) {
    const auto value = credits.value_or(Credits{});
    return {{"has_credits", value.has_credits},
            {"unlimited", value.unlimited},
            {"balance", value.balance}};
}

}  // namespace

void addRateLimitHeaders(Poco::Net::HTTPResponse& response, const AccountSpec& profile,
                         std::int64_t now) {
    const RateLimits& limits = profile.rate_limits;
    const auto drift_now = limits.drift_headers ? std::optional(now) : std::nullopt;
    if (limits.primary)
        addWindowHeaders(response, "primary", *limits.primary, drift_now);
    if (limits.secondary)
        addWindowHeaders(response, "secondary", *limits.secondary, drift_now);
    if (limits.drift_headers) {
        response.set("x-codex-plan-type", profile.plan_type);
        response.set("x-codex-active-limit", "codex");
    }
    if (limits.credits || limits.drift_headers) {
        const Credits credits = limits.credits.value_or(Credits{});
        response.set("x-codex-credits-has-credits", credits.has_credits ? "true" : "false");
        response.set("x-codex-credits-unlimited", credits.unlimited ? "true" : "false");
        response.set("x-codex-credits-balance", credits.balance);
    }
}

nlohmann::ordered_json rateLimitsEvent(const AccountSpec& profile) {
    using Json = nlohmann::ordered_json;
    const auto& limits = profile.rate_limits;
    const auto window = [](const std::optional<RateWindow>& value) {
        if (!value)
            return Json(nullptr);
        return Json{{"used_percent", Json(percentJson(value->used_percent))},
                    {"window_minutes", value->window_minutes},
                    {"reset_at", value->reset_at}};
    };
    const auto credits = limits.credits.value_or(Credits{});
    return {{"type", "codex.rate_limits"},
            {"plan_type", profile.plan_type},
            {"rate_limits",
             {{"primary", window(limits.primary)}, {"secondary", window(limits.secondary)}}},
            {"credits",
             {{"has_credits", credits.has_credits},
              {"unlimited", credits.unlimited},
              {"balance", credits.balance}}},
            {"limit_name", "codex"}};
}

nlohmann::json usagePayload(const AccountSpec& profile, std::int64_t now) {
    const auto& limits = profile.rate_limits;
    const auto exhausted = [](const std::optional<RateWindow>& window) {
        return window && window->used_percent >= 100.0;
    };
    const bool reached = exhausted(limits.primary) || exhausted(limits.secondary) ||
                         profile.behaviour.mode == Mode::kUsageLimit;
    nlohmann::json rate_limit = {{"allowed", !reached}, {"limit_reached", reached}};
    rate_limit["primary_window"] =
        limits.primary ? usageWindow(*limits.primary, now) : nlohmann::json(nullptr);
    rate_limit["secondary_window"] =
        limits.secondary ? usageWindow(*limits.secondary, now) : nlohmann::json(nullptr);
    return {{"plan_type", profile.plan_type},
            {"rate_limit", std::move(rate_limit)},
            {"credits", creditsJson(limits.credits)},
            {"additional_rate_limits", nlohmann::json::array()},
            {"rate_limit_reached_type",
             reached ? nlohmann::json("rate_limit_reached") : nlohmann::json(nullptr)},
            {"rate_limit_reset_credits", {{"available_count", 0}}}};
}

std::int64_t usageLimitResetAt(const Behaviour& behaviour, const RateLimits& limits,
                               std::int64_t now) {
    if (behaviour.resets_in)
        return now + behaviour.resets_in->count();
    if (limits.primary && limits.primary->reset_at > now)
        return limits.primary->reset_at;
    return now + 3600;
}

}  // namespace sluice::emulator
