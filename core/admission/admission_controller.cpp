#include "core/admission/admission_controller.hpp"

#include <algorithm>
#include <utility>

#include "core/accounting/utc_time.hpp"

namespace sluice::core::admission {

namespace {

constexpr std::size_t kWeekDays = 7;
constexpr std::chrono::seconds kMinute{60};
constexpr std::int64_t kBytesPerToken = 4;  // a deliberate overestimate for JSON request bodies

std::uint64_t tokensOf(const sdk::TokenUsage& usage) {
    return usage.total_tokens > 0 ? usage.total_tokens : usage.input_tokens + usage.output_tokens;
}

sdk::ErrorInfo limited(std::string_view limit, std::string message, std::int64_t retry_after) {
    return {429,
            std::string(limit),
            "rate_limit_exceeded",
            std::move(message),
            "",
            std::max<std::int64_t>(1, retry_after),
            ""};
}

}  // namespace

/// One key's counters and cached policy; guarded by `mutex`.
struct KeyState {
    explicit KeyState(const sdk::Clock& clock) : clock(clock) {}

    const sdk::Clock& clock;
    std::mutex mutex;
    std::string policy_source;
    std::shared_ptr<const KeyPolicy> policy;
    bool policy_valid = true;
    bool usage_loaded = false;
    std::deque<std::chrono::steady_clock::time_point> recent;  ///< admissions of the last minute
    std::uint32_t streams = 0;
    std::uint64_t reserved = 0;
    std::array<std::int64_t, kWeekDays> slot_day{};  ///< day held by each slot (day % 7)
    std::array<std::uint64_t, kWeekDays> slot_tokens{};

    static std::size_t slotOf(std::int64_t day) {
        return static_cast<std::size_t>(day % static_cast<std::int64_t>(kWeekDays));
    }
    std::uint64_t tokensOn(std::int64_t day) const {
        return slot_day[slotOf(day)] == day ? slot_tokens[slotOf(day)] : 0;
    }
    void charge(std::int64_t day, std::uint64_t tokens) {
        const std::size_t slot = slotOf(day);
        if (slot_day[slot] != day) {
            slot_day[slot] = day;
            slot_tokens[slot] = 0;
        }
        slot_tokens[slot] += tokens;
    }
    std::uint64_t tokensOfWeek(std::int64_t today) const {
        std::uint64_t total = 0;
        for (std::int64_t day = today - static_cast<std::int64_t>(kWeekDays) + 1; day <= today;
             ++day) {
            total += tokensOn(day);
        }
        return total;
    }
    // The first day of the window still holding tokens: the budget frees up when it rolls out.
    std::int64_t oldestChargedDay(std::int64_t today) const {
        for (std::int64_t day = today - static_cast<std::int64_t>(kWeekDays) + 1; day < today;
             ++day) {
            if (tokensOn(day) > 0) {
                return day;
            }
        }
        return today;
    }
    void forgetOldRequests(std::chrono::steady_clock::time_point now) {
        while (!recent.empty() && now - recent.front() >= kMinute) {
            recent.pop_front();
        }
    }
};

AdmissionTicket::AdmissionTicket(AdmissionTicket&& other) noexcept
    : key_(std::move(other.key_)), reserved_(other.reserved_), holds_stream_(other.holds_stream_) {
    other.reserved_ = 0;
    other.holds_stream_ = false;
}

AdmissionTicket& AdmissionTicket::operator=(AdmissionTicket&& other) noexcept {
    if (this != &other) {
        settle({});
        key_ = std::move(other.key_);
        reserved_ = std::exchange(other.reserved_, 0);
        holds_stream_ = std::exchange(other.holds_stream_, false);
    }
    return *this;
}

void AdmissionTicket::settle(const sdk::TokenUsage& usage) noexcept {
    if (!key_) {
        return;
    }
    const std::int64_t today = accounting::utcDay(key_->clock.now());
    {
        std::lock_guard lock(key_->mutex);
        key_->reserved -= reserved_;
        key_->charge(today, tokensOf(usage));
        if (holds_stream_) {
            --key_->streams;
        }
    }
    key_.reset();
    reserved_ = 0;
    holds_stream_ = false;
}

AdmissionController::AdmissionController(sdk::UsageRepository& usage, const sdk::Clock& clock,
                                         sdk::Metrics& metrics, const SpendGate* spend_gate,
                                         sdk::SharedState* shared)
    : usage_(usage),
      clock_(clock),
      spend_gate_(spend_gate),
      shared_(shared),
      shared_fallbacks_(&metrics.counter(
          "sluice_admission_shared_fallbacks_total",
          "Requests-per-minute checks decided on this replica's own count because the shared "
          "state did not answer",
          {})) {
    for (std::size_t i = 0; i < kLimits.size(); ++i) {
        rejections_[i] = &metrics.counter("sluice_admission_rejections_total",
                                          "Requests refused by a Pool API key's policy, by limit",
                                          {{"limit", std::string(kLimits[i])}});
    }
}

AdmissionController::~AdmissionController() = default;

void AdmissionController::countRefusal(std::string_view limit) noexcept {
    const auto it = std::find(kLimits.begin(), kLimits.end(), limit);
    if (it != kLimits.end()) {
        rejections_[static_cast<std::size_t>(it - kLimits.begin())]->add();
    }
}

std::optional<sdk::ErrorInfo> AdmissionController::spendRefusal(
    const sdk::Principal& caller) noexcept {
    if (spend_gate_ == nullptr) {
        return std::nullopt;
    }
    auto refusal = spend_gate_->refusal(caller);
    if (refusal) {
        countRefusal("wallet_empty");
    }
    return refusal;
}

std::shared_ptr<KeyState> AdmissionController::stateOf(const sdk::Principal& caller) {
    {
        std::shared_lock lock(keys_mutex_);
        if (const auto it = keys_.find(caller.id); it != keys_.end()) {
            return it->second;
        }
    }
    std::unique_lock lock(keys_mutex_);
    auto& state = keys_[caller.id];
    if (!state) {
        state = std::make_shared<KeyState>(clock_);
    }
    return state;
}

std::variant<std::shared_ptr<const KeyPolicy>, sdk::ErrorInfo> AdmissionController::policyOf(
    const sdk::Principal& caller) {
    if (caller.kind != sdk::CredentialKind::PoolKey || caller.policy_json.empty() ||
        caller.policy_json == "{}") {
        return std::shared_ptr<const KeyPolicy>();
    }
    const auto state = stateOf(caller);
    std::lock_guard lock(state->mutex);
    if (state->policy_source != caller.policy_json || (!state->policy && state->policy_valid)) {
        auto parsed = parseKeyPolicy(caller.policy_json);
        state->policy_source = caller.policy_json;
        state->policy_valid = parsed.ok();
        state->policy =
            parsed.ok() ? std::make_shared<const KeyPolicy>(std::move(parsed).value()) : nullptr;
    }
    if (!state->policy_valid) {
        countRefusal("policy_unavailable");
        return sdk::ErrorInfo{
            403,
            "permission_error",
            "key_policy_invalid",
            "this API key's stored policy cannot be read; an operator must set it again",
            "",
            0,
            ""};
    }
    return state->policy;
}

std::variant<AdmissionTicket, sdk::ErrorInfo> AdmissionController::admit(
    const sdk::Principal& caller, const KeyPolicy& policy, const AdmissionRequest& request) {
    const bool limits_tokens = request.uses_tokens && policy.limitsTokens();
    const bool limits_streams = request.opens_stream && policy.max_concurrent_streams;
    if (!limits_tokens && !limits_streams && !policy.requests_per_minute &&
        !policy.max_tokens_per_request) {
        return AdmissionTicket();
    }
    const auto refuse = [&](std::string_view limit, std::string message, std::int64_t retry_after) {
        countRefusal(limit);
        return limited(limit, std::move(message), retry_after);
    };
    if (request.uses_tokens && policy.max_tokens_per_request) {
        const auto estimate =
            (static_cast<std::int64_t>(request.input_bytes) + kBytesPerToken - 1) / kBytesPerToken;
        if (static_cast<std::uint64_t>(estimate) > *policy.max_tokens_per_request) {
            return refuse("tokens_per_request",
                          "this request's input (about " + std::to_string(estimate) +
                              " tokens) exceeds this API key's limit of " +
                              std::to_string(*policy.max_tokens_per_request) +
                              " tokens per request",
                          60);
        }
    }
    if (request.counts_request && policy.requests_per_minute) {
        if (auto refusal = sharedMinuteRefusal(caller, *policy.requests_per_minute)) {
            return *std::move(refusal);
        }
    }
    const auto state = stateOf(caller);
    const auto now = clock_.now();
    const auto steady_now = clock_.steadyNow();
    const std::int64_t today = accounting::utcDay(now);
    std::lock_guard lock(state->mutex);
    if (limits_tokens && !state->usage_loaded) {
        sdk::UsageQuery query;
        query.key_prefix = caller.id;
        query.from_day = today - static_cast<std::int64_t>(kWeekDays) + 1;
        query.to_day = today;
        auto stored = usage_.query(query);
        if (!stored.ok()) {
            countRefusal("policy_unavailable");
            return sdk::ErrorInfo{503,
                                  "server_error",
                                  "usage_unavailable",
                                  "this API key's token budget cannot be checked right now",
                                  "",
                                  1,
                                  ""};
        }
        // Storage has everything settled so far (apart from rows still queued for writing).
        state->slot_tokens = {};
        for (const auto& bucket : stored.value()) {
            state->charge(bucket.day, bucket.input_tokens + bucket.output_tokens);
        }
        state->usage_loaded = true;
    }
    if (request.counts_request && policy.requests_per_minute) {
        state->forgetOldRequests(steady_now);
        if (state->recent.size() >= *policy.requests_per_minute) {
            const auto wait = std::chrono::ceil<std::chrono::seconds>(state->recent.front() +
                                                                      kMinute - steady_now);
            return refuse("requests_per_minute",
                          "this API key allows " + std::to_string(*policy.requests_per_minute) +
                              " requests per minute",
                          wait.count());
        }
    }
    if (limits_streams && state->streams >= *policy.max_concurrent_streams) {
        return refuse("concurrent_streams",
                      "this API key allows " + std::to_string(*policy.max_concurrent_streams) +
                          " concurrent streams",
                      1);
    }
    const std::uint64_t reservation = limits_tokens ? policy.reservation() : 0;
    if (limits_tokens && policy.tokens_per_day) {
        const std::uint64_t used = state->tokensOn(today);
        if (used + state->reserved + reservation > *policy.tokens_per_day) {
            // Only running requests hold the rest: it frees up as soon as they finish.
            const bool held = used + reservation <= *policy.tokens_per_day;
            return refuse("tokens_per_day",
                          "this API key's budget of " + std::to_string(*policy.tokens_per_day) +
                              " tokens per day is used up",
                          held ? 1 : accounting::secondsUntilDay(today + 1, now));
        }
    }
    if (limits_tokens && policy.tokens_per_week) {
        const std::uint64_t used = state->tokensOfWeek(today);
        if (used + state->reserved + reservation > *policy.tokens_per_week) {
            const bool held = used + reservation <= *policy.tokens_per_week;
            const std::int64_t frees_on =
                state->oldestChargedDay(today) + static_cast<std::int64_t>(kWeekDays);
            return refuse("tokens_per_week",
                          "this API key's budget of " + std::to_string(*policy.tokens_per_week) +
                              " tokens per 7 days is used up",
                          held ? 1 : accounting::secondsUntilDay(frees_on, now));
        }
    }
    if (request.counts_request && policy.requests_per_minute) {
        state->recent.push_back(steady_now);
    }
    state->reserved += reservation;
    if (limits_streams) {
        ++state->streams;
    }
    return AdmissionTicket(state, reservation, limits_streams);
}

std::optional<sdk::ErrorInfo> AdmissionController::sharedMinuteRefusal(const sdk::Principal& caller,
                                                                       std::uint32_t per_minute) {
    if (shared_ == nullptr) {
        return std::nullopt;
    }
    const auto slot = shared_->takeWindowSlot("rpm:" + caller.id, per_minute, kMinute);
    if (!slot.ok()) {
        shared_fallbacks_->add();  // this replica's rolling count still applies below
        return std::nullopt;
    }
    if (slot->taken) {
        return std::nullopt;
    }
    countRefusal("requests_per_minute");
    return limited("requests_per_minute",
                   "this API key allows " + std::to_string(per_minute) + " requests per minute",
                   std::max<std::int64_t>(slot->retry_after_seconds, 1));
}

KeyLoad AdmissionController::load(std::string_view key_prefix) {
    std::shared_ptr<KeyState> state;
    {
        std::shared_lock lock(keys_mutex_);
        const auto it = keys_.find(std::string(key_prefix));
        if (it == keys_.end()) {
            return {};
        }
        state = it->second;
    }
    const std::int64_t today = accounting::utcDay(clock_.now());
    std::lock_guard lock(state->mutex);
    state->forgetOldRequests(clock_.steadyNow());
    return {state->streams, static_cast<std::uint32_t>(state->recent.size()),
            state->tokensOn(today), state->tokensOfWeek(today), state->reserved};
}

}  // namespace sluice::core::admission
