#include "core/routing/quota_evidence.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "core/security/bounded_json.hpp"

namespace sluice::core::routing {

namespace {

using json = nlohmann::json;

// Without a reset time we still keep an exhausted account out for a while instead of retrying it
// on every request.
constexpr std::chrono::minutes kUnknownResetBlock{15};
// Windows of a day or more are the long (weekly, 10080 min) kind; shorter ones the 5 h kind.
constexpr std::int64_t kLongWindowMinutes = 1440;

std::optional<std::int64_t> toInt(std::string_view text) {
    std::int64_t value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Upstream times are clamped to what a quota window can mean: unbounded, the nanosecond count
// of a time point would overflow (undefined behaviour) on a hostile or broken value.
constexpr std::int64_t kLatestUnixSeconds = 4'102'444'800;  // 2100-01-01
constexpr std::int64_t kLongestWaitSeconds = 10LL * 366 * 24 * 3600;

sdk::TimePoint fromUnix(std::int64_t seconds) {
    return sdk::TimePoint(
        std::chrono::seconds(std::clamp<std::int64_t>(seconds, 0, kLatestUnixSeconds)));
}

sdk::TimePoint secondsAfter(sdk::TimePoint now, std::int64_t seconds) {
    return now + std::chrono::seconds(std::clamp<std::int64_t>(seconds, 0, kLongestWaitSeconds));
}

// A window that says nothing (all zero, no reset) is not evidence.
std::optional<WindowObservation> evidence(const WindowObservation& window) {
    if (window.used_percent == 0.0 && window.window_minutes == 0 && !window.resets_at) {
        return std::nullopt;
    }
    return window;
}

std::optional<WindowObservation> windowFromHeaders(const sdk::Headers& headers,
                                                   const std::string& name, sdk::TimePoint now) {
    const std::string prefix = "x-codex-" + name + "-";
    WindowObservation window;
    window.source = QuotaSource::Headers;
    if (const auto used = sdk::findHeader(headers, prefix + "used-percent")) {
        window.used_percent = reportedNumber(*used).value_or(0.0);
    }
    if (const auto minutes = sdk::findHeader(headers, prefix + "window-minutes")) {
        window.window_minutes = toInt(*minutes).value_or(0);
    }
    if (const auto reset = sdk::findHeader(headers, prefix + "reset-at")) {
        if (const auto at = toInt(*reset)) {
            window.resets_at = fromUnix(*at);
        }
    }
    if (const auto after = sdk::findHeader(headers, prefix + "reset-after-seconds");
        after && !window.resets_at) {
        if (const auto seconds = toInt(*after); seconds && *seconds >= 0) {
            window.resets_at = secondsAfter(now, *seconds);
        }
    }
    return evidence(window);
}

std::optional<bool> toFlag(std::string_view text) {
    if (text == "true" || text == "1") {
        return true;
    }
    if (text == "false" || text == "0") {
        return false;
    }
    return std::nullopt;
}

// Credits need both booleans (codex-protocol §5.1).
std::optional<CreditsObservation> creditsFromHeaders(const sdk::Headers& headers) {
    const auto has = sdk::findHeader(headers, "x-codex-credits-has-credits");
    const auto unlimited = sdk::findHeader(headers, "x-codex-credits-unlimited");
    const auto has_flag = has ? toFlag(*has) : std::nullopt;
    const auto unlimited_flag = unlimited ? toFlag(*unlimited) : std::nullopt;
    if (!has_flag || !unlimited_flag) {
        return std::nullopt;
    }
    const auto balance = sdk::findHeader(headers, "x-codex-credits-balance");
    return CreditsObservation{*has_flag, *unlimited_flag, std::string(balance.value_or(""))};
}

bool isLong(const std::optional<WindowObservation>& window) {
    return window && window->window_minutes >= kLongWindowMinutes;
}

bool isShort(const std::optional<WindowObservation>& window) {
    return window && window->window_minutes > 0 && window->window_minutes < kLongWindowMinutes;
}

// The backend fills the slots as it likes (the weekly window may arrive as primary, §12): a
// window whose length is known goes to its kind's slot; one of unknown length keeps its slot.
void classifyWindows(QuotaObservation& quota) {
    if ((isLong(quota.primary) || isShort(quota.secondary)) && !isLong(quota.secondary) &&
        !isShort(quota.primary)) {
        std::swap(quota.primary, quota.secondary);
    }
}

std::optional<WindowObservation> windowFromJson(const json& node, sdk::TimePoint now) {
    if (!node.is_object()) {
        return std::nullopt;
    }
    WindowObservation window;
    window.source = QuotaSource::Event;
    if (const auto it = node.find("used_percent"); it != node.end() && it->is_number()) {
        window.used_percent = it->get<double>();
    }
    if (const auto it = node.find("window_minutes"); it != node.end() && it->is_number()) {
        window.window_minutes = it->get<std::int64_t>();
    }
    for (const char* key : {"reset_at", "resets_at"}) {
        if (const auto it = node.find(key); it != node.end() && it->is_number()) {
            window.resets_at = fromUnix(it->get<std::int64_t>());
        }
    }
    if (const auto it = node.find("reset_after_seconds");
        !window.resets_at && it != node.end() && it->is_number()) {
        window.resets_at = secondsAfter(now, it->get<std::int64_t>());
    }
    return evidence(window);
}

std::optional<CreditsObservation> creditsFromJson(const json& document) {
    const auto it = document.find("credits");
    if (it == document.end() || !it->is_object()) {
        return std::nullopt;
    }
    const auto has = it->find("has_credits");
    const auto unlimited = it->find("unlimited");
    if (has == it->end() || !has->is_boolean() || unlimited == it->end() ||
        !unlimited->is_boolean()) {
        return std::nullopt;
    }
    CreditsObservation credits{has->get<bool>(), unlimited->get<bool>(), ""};
    if (const auto balance = it->find("balance"); balance != it->end() && balance->is_string()) {
        credits.balance = balance->get<std::string>();
    }
    return credits;
}

const json* findError(const json& document) {
    if (const auto it = document.find("error"); it != document.end() && it->is_object()) {
        return &*it;
    }
    if (const auto response = document.find("response");
        response != document.end() && response->is_object()) {
        if (const auto it = response->find("error"); it != response->end() && it->is_object()) {
            return &*it;
        }
    }
    return nullptr;
}

std::string stringMember(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<double> reportedNumber(std::string_view text) {
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

namespace {

constexpr const char* kQuotaSourceNames[] = {"unknown", "headers", "event", "probe"};

}  // namespace

const char* quotaSourceName(QuotaSource source) noexcept {
    return kQuotaSourceNames[static_cast<std::size_t>(source)];
}

QuotaSource quotaSourceNamed(std::string_view name) noexcept {
    for (std::size_t i = 0; i < std::size(kQuotaSourceNames); ++i) {
        if (name == kQuotaSourceNames[i]) {
            return static_cast<QuotaSource>(i);
        }
    }
    return QuotaSource::Unknown;
}

void QuotaObservation::merge(const QuotaObservation& other) {
    if (other.primary) {
        primary = other.primary;
    }
    if (other.secondary) {
        secondary = other.secondary;
    }
    if (other.blocked_until && (!blocked_until || *other.blocked_until > *blocked_until)) {
        blocked_until = other.blocked_until;
    }
    if (!other.plan_type.empty()) {
        plan_type = other.plan_type;
    }
    if (other.credits) {
        credits = other.credits;
    }
}

QuotaObservation quotaFromHeaders(const sdk::Headers& headers, sdk::TimePoint now) {
    QuotaObservation quota;
    quota.primary = windowFromHeaders(headers, "primary", now);
    quota.secondary = windowFromHeaders(headers, "secondary", now);
    classifyWindows(quota);
    quota.plan_type = std::string(sdk::findHeader(headers, "x-codex-plan-type").value_or(""));
    quota.credits = creditsFromHeaders(headers);
    return quota;
}

QuotaObservation quotaFromRateLimitEvent(std::string_view event_json, sdk::TimePoint now) {
    QuotaObservation quota;
    const json document = security::parseJson(event_json);
    if (document.is_discarded() || !document.is_object()) {
        return quota;
    }
    const auto limits = document.find("rate_limits");
    if (limits == document.end() || !limits->is_object()) {
        return quota;
    }
    if (const auto it = limits->find("primary"); it != limits->end()) {
        quota.primary = windowFromJson(*it, now);
    }
    if (const auto it = limits->find("secondary"); it != limits->end()) {
        quota.secondary = windowFromJson(*it, now);
    }
    classifyWindows(quota);
    quota.plan_type = stringMember(document, "plan_type");
    quota.credits = creditsFromJson(document);
    return quota;
}

QuotaObservation quotaFromUsagePayload(std::string_view body_json, sdk::TimePoint now) {
    QuotaObservation quota;
    const json document = security::parseJson(body_json);
    if (!document.is_object() || !document.contains("rate_limit") ||
        !document["rate_limit"].is_object()) {
        return quota;
    }
    const json& limits = document["rate_limit"];
    const auto window = [&](const char* key) -> std::optional<WindowObservation> {
        const auto it = limits.find(key);
        if (it == limits.end() || !it->is_object()) {
            return std::nullopt;
        }
        WindowObservation observed;
        observed.source = QuotaSource::Probe;
        observed.used_percent = it->value("used_percent", 0.0);
        observed.window_minutes = it->value("limit_window_seconds", std::int64_t{0}) / 60;
        if (const auto at = it->find("reset_at"); at != it->end() && at->is_number()) {
            observed.resets_at = fromUnix(at->get<std::int64_t>());
        } else if (const auto after = it->find("reset_after_seconds");
                   after != it->end() && after->is_number()) {
            observed.resets_at = secondsAfter(now, after->get<std::int64_t>());
        }
        return observed;
    };
    quota.primary = window("primary_window");
    quota.secondary = window("secondary_window");
    classifyWindows(quota);
    quota.plan_type = stringMember(document, "plan_type");
    quota.credits = creditsFromJson(document);
    if (limits.value("limit_reached", false) || !limits.value("allowed", true)) {
        sdk::TimePoint until = now + kUnknownResetBlock;
        for (const auto* observed : {&quota.primary, &quota.secondary}) {
            if (*observed && (*observed)->resets_at && *(*observed)->resets_at > until) {
                until = *(*observed)->resets_at;
            }
        }
        quota.blocked_until = until;
    }
    return quota;
}

QuotaObservation quotaFromError(std::string_view body_json, sdk::TimePoint now) {
    QuotaObservation quota;
    const json document = security::parseJson(body_json);
    if (document.is_discarded() || !document.is_object()) {
        return quota;
    }
    const json* error = findError(document);
    if (error == nullptr) {
        return quota;
    }
    const std::string type = stringMember(*error, "type");
    const std::string code = stringMember(*error, "code");
    const auto is = [&](const char* name) { return type == name || code == name; };
    if (!is("usage_limit_reached") && !is("insufficient_quota") && !is("usage_not_included")) {
        return quota;
    }
    if (const auto it = error->find("resets_at"); it != error->end() && it->is_number()) {
        quota.blocked_until = fromUnix(it->get<std::int64_t>());
    } else if (const auto in = error->find("resets_in_seconds");
               in != error->end() && in->is_number()) {
        quota.blocked_until = secondsAfter(now, in->get<std::int64_t>());
    } else {
        quota.blocked_until = now + kUnknownResetBlock;
    }
    return quota;
}

}  // namespace sluice::core::routing
