#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "core/admission/key_policy.hpp"
#include "core/admission/spend_gate.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/shared_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::admission {

struct KeyState;

/// What one admitted request holds of its key's limits: a stream slot and a token reservation.
/// settle() charges the real usage; destroying an unsettled ticket gives everything back.
class AdmissionTicket final {
public:
    AdmissionTicket() = default;  ///< holds nothing (a key without limits)
    AdmissionTicket(std::shared_ptr<KeyState> key, std::uint64_t reserved,
                    bool holds_stream) noexcept
        : key_(std::move(key)), reserved_(reserved), holds_stream_(holds_stream) {}
    AdmissionTicket(AdmissionTicket&& other) noexcept;
    AdmissionTicket& operator=(AdmissionTicket&& other) noexcept;
    AdmissionTicket(const AdmissionTicket&) = delete;
    AdmissionTicket& operator=(const AdmissionTicket&) = delete;
    ~AdmissionTicket() { settle({}); }

    void settle(const sdk::TokenUsage& usage) noexcept;

private:
    std::shared_ptr<KeyState> key_;
    std::uint64_t reserved_ = 0;
    bool holds_stream_ = false;
};

/// What admission needs to know about one request.
struct AdmissionRequest {
    bool opens_stream = true;     ///< takes a concurrent-stream slot while it runs
    bool counts_request = true;   ///< counts against requests per minute
    bool uses_tokens = true;      ///< a model call: reserves and is charged tokens
    std::size_t input_bytes = 0;  ///< the request body, for the per-request token cap
};

/// A key's counters, for operators.
struct KeyLoad {
    std::uint32_t streams = 0;
    std::uint32_t requests_last_minute = 0;
    std::uint64_t tokens_today = 0;
    std::uint64_t tokens_this_week = 0;
    std::uint64_t tokens_reserved = 0;
};

/// Enforces per-key policies in memory: requests per minute (rolling), concurrent streams, and
/// token budgets per UTC day and per rolling 7 days. Token budgets are exact under concurrency:
/// a request is admitted only if its reservation fits next to what is used and what others
/// hold, and is charged its real usage when it ends. Day counts start from the usage rollups in
/// storage the first time a key is seen, so a restart does not reset a budget. Counters are per
/// gateway process, except requests per minute with shared state (ADR 0012): then a slot of the
/// key's window on the shared server is taken first, one bounded call, so replicas together
/// admit the limit; when it does not answer this process's own count decides. Thread-safe.
class AdmissionController final {
public:
    /// `spend_gate` (may be null: nothing is billed) is asked before every dispatch; `shared`
    /// (may be null: one replica) holds the requests-per-minute windows of all replicas.
    AdmissionController(sdk::UsageRepository& usage, const sdk::Clock& clock, sdk::Metrics& metrics,
                        const SpendGate* spend_gate = nullptr, sdk::SharedState* shared = nullptr);
    ~AdmissionController();

    /// The caller's parsed policy (cached while its JSON is unchanged); null when the caller has
    /// no limits. A stored policy that no longer parses is refused (fail closed).
    std::variant<std::shared_ptr<const KeyPolicy>, sdk::ErrorInfo> policyOf(
        const sdk::Principal& caller);

    /// A ticket, or the 429 naming the limit, with Retry-After.
    std::variant<AdmissionTicket, sdk::ErrorInfo> admit(const sdk::Principal& caller,
                                                        const KeyPolicy& policy,
                                                        const AdmissionRequest& request);

    /// Refusal reasons, the label values of sluice_admission_rejections_total.
    static constexpr std::array<std::string_view, 8> kLimits{
        "requests_per_minute", "concurrent_streams", "tokens_per_request", "tokens_per_day",
        "tokens_per_week",     "model_not_allowed",  "policy_unavailable", "wallet_empty"};
    /// A refusal decided elsewhere (the model rules), counted with the others.
    void countRefusal(std::string_view limit) noexcept;

    KeyLoad load(std::string_view key_prefix);

    /// The spend gate's refusal of the caller (counted as "wallet_empty"); nullopt when it may
    /// spend. Request thread; memory only.
    std::optional<sdk::ErrorInfo> spendRefusal(const sdk::Principal& caller) noexcept;

private:
    std::shared_ptr<KeyState> stateOf(const sdk::Principal& caller);
    /// The refusal when the replicas together used the key's requests per minute; nullopt when
    /// a shared slot was taken, or there is no shared state, or it did not answer.
    std::optional<sdk::ErrorInfo> sharedMinuteRefusal(const sdk::Principal& caller,
                                                      std::uint32_t per_minute);

    sdk::UsageRepository& usage_;
    const sdk::Clock& clock_;
    const SpendGate* spend_gate_;
    sdk::SharedState* shared_;
    sdk::Counter* shared_fallbacks_;  ///< sluice_admission_shared_fallbacks_total
    std::array<sdk::Counter*, kLimits.size()> rejections_{};
    std::shared_mutex keys_mutex_;
    std::unordered_map<std::string, std::shared_ptr<KeyState>> keys_;
};

}  // namespace sluice::core::admission
