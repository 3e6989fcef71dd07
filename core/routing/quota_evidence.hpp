#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/http.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::routing {

/// Where a window's evidence came from, as operators see it ("from headers 12 s ago").
enum class QuotaSource : std::uint8_t {
    Unknown,
    Headers,  ///< x-codex-* response headers
    Event,    ///< a codex.rate_limits stream event
    Probe,    ///< the periodic /backend-api/wham/usage probe
};
/// "unknown", "headers", "event", "probe": the names stored quota snapshots use too.
const char* quotaSourceName(QuotaSource source) noexcept;
/// The source a stored snapshot names; Unknown for any other text.
QuotaSource quotaSourceNamed(std::string_view name) noexcept;

/// One observed window of an upstream account's quota.
struct WindowObservation {
    double used_percent = 0.0;
    std::int64_t window_minutes = 0;
    std::optional<sdk::TimePoint> resets_at;
    QuotaSource source = QuotaSource::Unknown;
};

/// An account's credits (what it may spend past its windows).
struct CreditsObservation {
    bool has_credits = false;
    bool unlimited = false;
    std::string balance;
};

/// Everything one upstream answer said about an account's quota. Windows are classified by
/// their length, never by the slot they arrived in: `primary` is the short (5 h) window,
/// `secondary` the long (weekly) one (codex-protocol §12).
struct QuotaObservation {
    std::optional<WindowObservation> primary;
    std::optional<WindowObservation> secondary;
    /// The account may not be used before this (429 usage_limit_reached and friends).
    std::optional<sdk::TimePoint> blocked_until;
    std::string plan_type;  ///< empty when not said
    std::optional<CreditsObservation> credits;

    bool empty() const noexcept {
        return !primary && !secondary && !blocked_until && plan_type.empty() && !credits;
    }
    void merge(const QuotaObservation& other);
};

/// x-codex-{primary,secondary}-{used-percent,window-minutes,reset-at,reset-after-seconds},
/// x-codex-plan-type and x-codex-credits-{has-credits,unlimited,balance} response headers.
QuotaObservation quotaFromHeaders(const sdk::Headers& headers, sdk::TimePoint now);
/// A `codex.rate_limits` stream event (HTTP SSE or websocket frame).
QuotaObservation quotaFromRateLimitEvent(std::string_view event_json, sdk::TimePoint now);
/// The /backend-api/wham/usage payload: rate_limit.{primary,secondary}_window; a reported
/// limit_reached blocks the account until the latest reset.
QuotaObservation quotaFromUsagePayload(std::string_view body_json, sdk::TimePoint now);
/// An error body (HTTP 429 or a failed stream event): usage_limit_reached with resets_at or
/// resets_in_seconds blocks the account; other quota codes block it briefly.
QuotaObservation quotaFromError(std::string_view body_json, sdk::TimePoint now);
/// A number the backend reports as text (a header value, a credits balance); nullopt unless the
/// whole text is one.
std::optional<double> reportedNumber(std::string_view text);

}  // namespace sluice::core::routing
