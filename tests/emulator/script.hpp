#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::emulator {

/// What an account does with a model request (POST /responses, a websocket response.create,
/// the legacy compact endpoint).
enum class Mode {
    kNormal,          ///< a full text answer (or the §10 scenario switch)
    kToolCall,        ///< an exec_command function call; the follow-up gets the text answer
    kUsageLimit,      ///< 429 usage_limit_reached
    kRateLimited,     ///< 429 with a generic body (clients retry these)
    kError,           ///< an HTTP error status with a JSON error body
    kUnauthorized,    ///< 401 as for an expired access token
    kCut,             ///< the stream stops after `cut_after` events, no response.completed
    kSlow,            ///< a normal answer after `delay`
    kHang,            ///< no answer until the client or the server gives up
    kFailFirstEvent,  ///< 200, then response.failed as the first event
};

std::optional<Mode> parseMode(std::string_view text);
std::string_view modeName(Mode mode);

struct Usage {
    std::int64_t input_tokens = 1200;
    std::int64_t cached_tokens = 1000;
    std::int64_t output_tokens = 20;
    std::int64_t reasoning_tokens = 5;
};

/// Per-request behaviour. Every field has a default so a script names only what it changes.
struct Behaviour {
    Mode mode = Mode::kNormal;
    std::string text = "Hello from the Sluice upstream emulator. This answer streams in parts.";
    /// 12 deltas plus the 8 framing events make the 20-event stream the benchmarks use.
    int deltas = 12;
    std::string command = "echo emulator";  ///< tool_call: the command argument's value
    std::string tool = "exec_command";      ///< tool_call: the function's name
    std::string tool_argument = "cmd";      ///< tool_call: the argument holding `command`
    int status = 0;                         ///< error: HTTP status; 0 means the mode's default
    std::string error_code;                 ///< error / fail_first_event / rate_limited
    std::string error_message;
    int cut_after = 3;                              ///< cut: events sent before the close
    std::chrono::milliseconds delay{0};             ///< before the first byte, any mode
    std::chrono::milliseconds event_delay{0};       ///< between stream events
    std::chrono::milliseconds hang_for{0};          ///< hang: 0 means until the peer goes away
    std::optional<std::chrono::seconds> resets_in;  ///< usage_limit: default the primary reset
    Usage usage;
};

/// A behaviour used for the next `count` model requests instead of the steady one.
struct Fault {
    Behaviour behaviour;
    int count = 1;
};

struct RateWindow {
    double used_percent = 0;
    int window_minutes = 0;
    std::int64_t reset_at = 0;  ///< unix seconds; a script's `reset_in` is resolved at load time
};

struct Credits {
    bool has_credits = false;
    bool unlimited = false;
    std::string balance = "0";
};

struct RateLimits {
    std::optional<RateWindow> primary;
    std::optional<RateWindow> secondary;
    std::optional<Credits> credits;
    bool stream_event = false;  ///< also send a codex.rate_limits event after in_progress
    /// The header set after 0.169 (codex-protocol §12): reset-after-seconds per window, plan
    /// type, active limit and the credits headers on every answer.
    bool drift_headers = false;
    bool on_upgrade =
        true;  ///< rate-limit headers on the websocket 101 (§12: newer ones omit them)
    std::chrono::milliseconds usage_delay{0};  ///< before GET /wham/usage answers (a slow probe)
};

enum class OAuthMode { kNormal, kReused, kInvalidGrant, kError };

std::optional<OAuthMode> parseOAuthMode(std::string_view text);
std::string_view oauthModeName(OAuthMode mode);

/// How POST /oauth/token answers a refresh grant for this account.
struct OAuthBehaviour {
    OAuthMode mode = OAuthMode::kNormal;
    int status = 500;                    ///< error mode
    int count = 0;                       ///< failing refreshes before recovery; 0 = forever
    std::chrono::milliseconds delay{0};  ///< before answering, any mode
    std::chrono::seconds access_token_ttl{3600};
};

/// How the backend's file endpoints treat this account's uploads.
struct UploadBehaviour {
    /// POST /backend-api/files/{id}/uploaded answers {"status":"retry"} this many times per
    /// file before it reports success (the real backend is still processing the bytes).
    int finalize_retries = 0;
};

struct AccountSpec {
    std::string id;             ///< the chatgpt-account-id value
    std::string access_token;   ///< empty: a JWT is minted at load time
    std::string refresh_token;  ///< empty: generated
    std::string email;
    std::string user_id;
    std::string plan_type = "plus";
    bool websocket = false;  ///< accept the websocket upgrade (else 426, clients fall back)
    /// Websocket turn state in frames (client_metadata in, response.metadata out, §12) instead
    /// of the 101's x-codex-turn-state header.
    bool turn_state_in_frames = false;
    std::string workspace_backend_origin;  ///< empty: the server default
    RateLimits rate_limits;
    Behaviour behaviour;
    std::vector<Fault> faults;
    OAuthBehaviour oauth;
    UploadBehaviour uploads;
};

struct ServerSpec {
    int threads = 256;  ///< one per concurrent connection, websocket or keep-alive
    std::size_t recording_capacity = 10000;
    bool log_requests = false;
    /// §0.4: the real CLI only accepts an https origin here, and it only matters when the
    /// provider base and chatgpt_base_url share an origin.
    std::string workspace_backend_origin = "https://chatgpt.com";
    /// Websockets older than this are ended with a websocket_connection_limit_reached error
    /// (the real backend's cap is 60 minutes); 0 = no cap.
    std::chrono::milliseconds websocket_max_age{0};
    /// The poll interval device sign-ins are told (whole seconds on the wire).
    std::chrono::milliseconds device_auth_interval{5000};
};

struct Script {
    ServerSpec server;
    std::vector<AccountSpec> accounts;
    std::optional<nlohmann::json> models;  ///< replaces the default catalog's "models" array
};

}  // namespace sluice::emulator
