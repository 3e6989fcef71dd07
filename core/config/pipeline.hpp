#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/config/config_tree.hpp"

namespace sluice::core::config {

struct ServerSettings {
    std::string listen_host;
    std::uint16_t listen_port = 0;
    std::uint32_t loop_threads = 0;  ///< 0: one per core
    std::uint32_t max_threads = 0;   ///< worker threads running route handlers
    std::uint32_t max_queued = 0;    ///< requests waiting for a worker
    std::uint64_t max_header_bytes = 0;
    std::uint64_t max_body_bytes = 0;
    std::uint64_t max_websocket_message_bytes = 0;           ///< at most 1 GiB (the schema's bound)
    std::chrono::milliseconds websocket_message_timeout{0};  ///< first byte to last of a message
    std::chrono::milliseconds drain_timeout{0};
    std::chrono::milliseconds idle_timeout{0};
    std::chrono::milliseconds header_timeout{0};  ///< a request head, first byte to last
    std::chrono::milliseconds body_timeout{0};    ///< a request body, head's end to body's end
    bool share_port = false;    ///< SO_REUSEPORT: only when the operator asks for it
    std::string metrics_token;  ///< bearer token /metrics requires; empty: open. Never printed
    /// Codex clients see the pool's quota for their key (x-codex-* headers, codex.rate_limits,
    /// usage routes); false: the serving account's numbers as the upstream sent them.
    bool pool_quota_view = true;
    std::chrono::milliseconds quota_view_refresh{0};  ///< how long one pool view is reused
    /// Bounds of the response histories kept for pools allowing a handoff.
    std::uint64_t handoff_history_entries = 0;
    std::uint64_t handoff_history_bytes = 0;
};

struct PluginSettings {
    std::vector<std::filesystem::path> paths;
    std::vector<std::string> load;
};

struct StorageSettings {
    std::string type;
    const ConfigTree* config = nullptr;
};

/// The optional `shared_state:` section (ADR 0012); an empty type means none.
struct SharedStateSettings {
    std::string type;
    const ConfigTree* config = nullptr;
};

struct RetiredKey {
    std::uint32_t version = 0;
    std::string key;
};

struct SecretSettings {
    std::string key;  ///< encoded AES-256 key (base64 or hex); never printed
    std::uint32_t key_version = 1;
    std::vector<RetiredKey> retired_keys;
};

struct UpstreamSettings {
    std::string chatgpt_base_url;
    std::string auth_base_url;
    std::string client_version;
    std::string codex_path;    ///< upstream prefix of Responses and the catalog; no trailing '/'
    std::string backend_path;  ///< upstream prefix of files, transcription, WHAM; no trailing '/'
    std::string originator;
    std::chrono::milliseconds connect_timeout{0};
    std::chrono::milliseconds read_timeout{0};
    std::chrono::milliseconds first_byte_timeout{0};
    std::chrono::milliseconds answer_deadline{0};
    std::chrono::milliseconds stream_keepalive{0};
    /// Upstream websockets are replaced at the first turn boundary after this age (the backend
    /// ends them at 60 minutes).
    std::chrono::milliseconds websocket_max_age{0};
};

struct AccountSettings {
    std::chrono::milliseconds refresh_margin{0};
    std::chrono::milliseconds refresh_check_interval{0};
    std::chrono::milliseconds refresh_retry{0};
    std::chrono::milliseconds usage_probe_interval{0};  ///< 0: no probes
    std::chrono::milliseconds usage_probe_timeout{0};
    std::chrono::milliseconds quota_freshness{0};
    std::string oauth_client_id;
};

/// Wallet charging (ADR 0008); off while `journal` is empty.
struct BillingSettings {
    std::filesystem::path journal;  ///< the charge write-ahead file
    std::chrono::milliseconds apply_interval{0};
    std::chrono::milliseconds reload_interval{0};
    std::uint32_t balance_gauge_wallets = 0;  ///< lowest balances shown on /metrics
    std::string stripe_webhook_secret;        ///< empty: the Stripe webhook is off
    std::chrono::milliseconds stripe_tolerance{0};
};

/// Alert rules and their webhook (docs/operations.md); no webhook while `webhook_url` is empty.
struct AlertSettings {
    std::chrono::milliseconds interval{0};
    std::uint32_t capacity_below_percent = 0;    ///< 0: pool_capacity_low off
    std::uint32_t error_rate_above_percent = 0;  ///< 0: error_rate_high off
    std::chrono::minutes error_rate_window{0};
    std::uint32_t error_rate_min_requests = 0;
    std::string webhook_url;
    std::string webhook_secret;  ///< never printed
    std::chrono::milliseconds webhook_timeout{0};
    std::chrono::milliseconds webhook_retry{0};
    std::uint32_t webhook_attempts = 0;
};

/// The host's response store (ADR 0011), used when the storage backend keeps stored answers.
struct ResponseStoreSettings {
    std::chrono::milliseconds purge_interval{0};  ///< expired rows are removed this often
    std::chrono::milliseconds read_wait{0};       ///< longest a lookup waits for earlier writes
    std::size_t queue_limit = 0;  ///< documents waiting to be written; past it, dropped
};

struct LoggingSettings {
    std::string level;
    std::string file;  ///< empty: standard error
};

struct StrategyDecl {
    std::string name;
    std::string type;
    const ConfigTree* config = nullptr;
};

struct PoolDecl {
    std::string name;
    std::string strategy;
    std::uint32_t ring_size = 3;
    bool sticky_sessions = true;
    /// A conversation whose pinned account is gone goes on on another account, its history
    /// replayed without what only the first account could read.
    bool handoff = false;
};

struct RouteDecl {
    std::string family;
    std::string mount;
    const ConfigTree* config = nullptr;
};

/// A validated pipeline: every reference resolved, every default applied. The typed fields
/// point into `tree`, which also holds the ConfigNodes handed to plugins.
struct Pipeline {
    std::filesystem::path source;
    ConfigTree::Ptr tree;
    ServerSettings server;
    PluginSettings plugins;
    StorageSettings storage;
    SharedStateSettings shared_state;
    SecretSettings secrets;
    UpstreamSettings upstream;
    AccountSettings accounts;
    BillingSettings billing;
    AlertSettings alerts;
    ResponseStoreSettings response_store;
    LoggingSettings logging;
    std::vector<StrategyDecl> strategies;
    std::vector<PoolDecl> pools;
    std::vector<RouteDecl> routes;

    const StrategyDecl* findStrategy(const std::string& name) const;
    const PoolDecl* findPool(const std::string& name) const;
};

}  // namespace sluice::core::config
