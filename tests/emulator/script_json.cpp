#include "tests/emulator/script_json.hpp"

#include <string>

namespace sluice::emulator {
namespace {

std::string durationText(std::chrono::milliseconds value) {
    return std::to_string(value.count()) + "ms";
}

nlohmann::json windowJson(const RateWindow& window) {
    return {{"used_percent", window.used_percent},
            {"window_minutes", window.window_minutes},
            {"reset_at", window.reset_at}};
}

}  // namespace

nlohmann::json toJson(const Behaviour& behaviour) {
    nlohmann::json out = {
        {"mode", modeName(behaviour.mode)},
        {"text", behaviour.text},
        {"deltas", behaviour.deltas},
        {"command", behaviour.command},
        {"tool", behaviour.tool},
        {"tool_argument", behaviour.tool_argument},
        {"status", behaviour.status},
        {"error_code", behaviour.error_code},
        {"error_message", behaviour.error_message},
        {"cut_after", behaviour.cut_after},
        {"delay", durationText(behaviour.delay)},
        {"event_delay", durationText(behaviour.event_delay)},
        {"hang_for", durationText(behaviour.hang_for)},
        {"usage",
         {{"input_tokens", behaviour.usage.input_tokens},
          {"cached_tokens", behaviour.usage.cached_tokens},
          {"output_tokens", behaviour.usage.output_tokens},
          {"reasoning_tokens", behaviour.usage.reasoning_tokens}}},
    };
    if (behaviour.resets_in) {
        out["resets_in"] = std::to_string(behaviour.resets_in->count()) + "s";
    }
    return out;
}

nlohmann::json toJson(const Fault& fault) {
    auto out = toJson(fault.behaviour);
    out["count"] = fault.count;
    return out;
}

nlohmann::json toJson(const RateLimits& limits) {
    nlohmann::json out = {{"stream_event", limits.stream_event},
                          {"usage_delay", durationText(limits.usage_delay)}};
    out["primary"] = limits.primary ? windowJson(*limits.primary) : nlohmann::json(nullptr);
    out["secondary"] = limits.secondary ? windowJson(*limits.secondary) : nlohmann::json(nullptr);
    if (limits.credits) {
        out["credits"] = {{"has_credits", limits.credits->has_credits},
                          {"unlimited", limits.credits->unlimited},
                          {"balance", limits.credits->balance}};
    } else {
        out["credits"] = nullptr;
    }
    return out;
}

nlohmann::json toJson(const OAuthBehaviour& oauth) {
    return {{"mode", oauthModeName(oauth.mode)},
            {"status", oauth.status},
            {"count", oauth.count},
            {"delay", durationText(oauth.delay)},
            {"access_token_ttl", std::to_string(oauth.access_token_ttl.count()) + "s"}};
}

nlohmann::json toJson(const UploadBehaviour& uploads) {
    return {{"finalize_retries", uploads.finalize_retries}};
}

}  // namespace sluice::emulator
