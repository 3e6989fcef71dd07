#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/export.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_records.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

/// One upstream quota window as last observed (x-codex-* headers, rate-limit events, probes).
struct QuotaWindow {
    bool known = false;
    double used_percent = 0.0;        ///< 0..100
    std::int64_t window_minutes = 0;  ///< 300 = 5 h, 10080 = weekly
    TimePoint resets_at{};            ///< epoch when unknown
};

/// An eligible account as the strategy sees it: an immutable snapshot taken for this request.
/// Identity, weight, priority, cooldown and `tried` are always set; the live fields (marked
/// below) only when the strategy reads them (see LiveFields), otherwise they stay zero/unknown.
struct Candidate {
    std::string_view id;
    std::string_view label;
    std::uint64_t id_hash = 0;       ///< stable 64-bit hash of `id`, for hashing strategies
    const Labels* labels = nullptr;  ///< the account's labels; never null when set by the host
    std::uint32_t weight = 1;        ///< >= 1
    std::int32_t priority = 0;       ///< lower is preferred (fill_first tiers)
    std::uint32_t in_flight = 0;     ///< live: LiveFields::in_flight
    QuotaWindow primary;             ///< live: LiveFields::quota
    QuotaWindow secondary;           ///< live: LiveFields::quota
    TimePoint cooldown_until{};      ///< demoted until then: still allowed, but order it last
    TimePoint last_success{};        ///< live: LiveFields::last_success; epoch when never
    double ewma_latency_ms = 0.0;    ///< live: LiveFields::ewma_latency; 0 when unknown
    bool tried = false;              ///< already attempted for this request: never return it
};

/// The Candidate fields that change from one request to the next. Reading them costs the host a
/// visit to every account's shared state on every request, so it reads only those asked for.
struct LiveFields {
    bool in_flight = false;
    bool quota = false;  ///< primary and secondary
    bool last_success = false;
    bool ewma_latency = false;

    bool any() const noexcept { return in_flight || quota || last_success || ewma_latency; }
};

/// What a strategy gets when it does not say: every live field.
inline constexpr LiveFields kAllLiveFields{true, true, true, true};

/// Everything order() may read. Host owns it; valid only during the call.
struct PickContext {
    std::string_view pool;
    std::string_view model;
    std::string_view route_class;
    std::uint64_t affinity_seed = 0;  ///< hash of the session / prompt_cache_key, when present
    bool has_affinity_seed = false;
    std::uint32_t attempt = 0;  ///< attempts the request already made (0 on its first plan)
    std::size_t limit = 0;      ///< at most this many indices wanted (ring slots left)
    TimePoint now{};
    const Candidate* candidates = nullptr;
    std::size_t candidate_count = 0;
};

enum class OutcomeKind {
    Success,
    RateLimited,
    QuotaExhausted,
    ServerError,
    NetworkError,
    Rejected
};

/// Feedback after an attempt finished.
struct Outcome {
    std::string_view account_id;
    std::string_view model;
    OutcomeKind kind = OutcomeKind::Success;
    std::chrono::microseconds latency{0};
    std::uint64_t total_tokens = 0;
};

/// Orders the eligible candidates of a pool. One configured instance per `strategies:` entry.
class SLUICE_SDK_API RoutingStrategy {
public:
    virtual ~RoutingStrategy() = default;

    /// Appends at most `context.limit` distinct indices into `context.candidates` to `out`,
    /// best first, never one whose `tried` flag is set. Called concurrently from request
    /// threads; must not block, allocate beyond `out`, or do I/O.
    ///
    /// The order is the request's failover order: the host tries the first account, and on a
    /// failure before anything reached the client the second, and so on, up to the pool's ring
    /// size, without asking again. It calls order() once per request, and again only when the
    /// pool's eligible accounts changed meanwhile for a reason other than the request's own
    /// attempts (an account became eligible or not, or was demoted, elsewhere); that call has
    /// `attempt` > 0 and leaves out the accounts already tried. The host may still place the
    /// conversation's affinity account first and recently failed accounts last, and skips an
    /// account whose token is being renewed while another is left to try.
    virtual void order(const PickContext& context, std::vector<std::uint32_t>& out) noexcept = 0;

    /// Reports how an attempt went: every attempt of an HTTP request, and for a websocket its
    /// upgrade and then each turn on the open socket. Called concurrently; must not block.
    virtual void onOutcome(const Outcome& outcome) noexcept = 0;
};

/// Optional (SDK ABI 1.1): a RoutingStrategy that also derives from this names the live fields
/// its order() reads; the host asks once per configured pool. Strategies without it get all.
class SLUICE_SDK_API ReadsLiveFields {
public:
    virtual ~ReadsLiveFields() = default;
    virtual LiveFields liveFields() const noexcept = 0;
};

using RoutingStrategyPtr = std::unique_ptr<RoutingStrategy>;

/// Creates configured strategies. Registered once per plugin load; create() runs at config time
/// on the main thread and may throw ConfigError.
class SLUICE_SDK_API RoutingStrategyFactory {
public:
    virtual ~RoutingStrategyFactory() = default;

    /// Stable snake_case id used as `type:` in YAML, e.g. "round_robin".
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    virtual ConfigSchema schema() const = 0;
    virtual RoutingStrategyPtr create(const ConfigNode& config, HostServices& host) const = 0;
};

}  // namespace sluice::sdk
