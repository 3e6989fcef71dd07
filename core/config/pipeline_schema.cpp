#include "core/config/pipeline_schema.hpp"

namespace sluice::core::config {

namespace field = sdk::field;

const sdk::ConfigSchema& pipelineSchema() {
    static const sdk::ConfigSchema schema{
        field::integer("version", "Pipeline format version").mandatory().between(1, 1),
        field::object(
            "server", "The HTTP listener",
            {
                field::string("listen", "host:port to bind").defaultsTo("127.0.0.1:4000"),
                field::integer("loop_threads",
                               "Event-loop threads that accept connections and read requests "
                               "(0: one per core)")
                    .defaultsTo("0")
                    .between(0, 1024),
                field::integer("max_threads",
                               "Worker threads that run route handlers; each open stream holds one")
                    .defaultsTo("512")
                    .between(2, 65536),
                field::integer("max_queued",
                               "Requests read and waiting for a worker thread; past it a request "
                               "is answered 503")
                    .defaultsTo("1024")
                    .between(1, 1000000),
                field::size("max_header", "Largest request head: request line and header fields")
                    .defaultsTo("64KiB")
                    .between(1024, 1024 * 1024),
                field::size("max_body", "Largest request body after decompression")
                    .defaultsTo("32MiB"),
                field::size("max_websocket_message", "Largest websocket message, fragments joined")
                    .defaultsTo("32MiB")
                    .between(1024, 1024 * 1024 * 1024),
                field::duration("websocket_message_timeout",
                                "How long a client may take to send one websocket message, from "
                                "its first byte to its last; past it the socket closes with 1008")
                    .defaultsTo("30s"),
                field::duration("drain_timeout", "How long shutdown waits for in-flight requests")
                    .defaultsTo("30s"),
                field::duration("idle_timeout",
                                "How long a kept-alive client connection may wait before its next "
                                "request, and how long one send of an answer may block")
                    .defaultsTo("60s"),
                field::duration("header_timeout",
                                "How long a client may take to send a request head, from the "
                                "connection's start (or its last answer) to the head's end")
                    .defaultsTo("10s"),
                field::duration("body_timeout",
                                "How long a client may take to send a request body, from the "
                                "head's end to the body's; past it the request is answered 408")
                    .defaultsTo("300s"),
                field::boolean(
                    "share_port",
                    "Let several gateways bind the same address (SO_REUSEPORT); off, a second "
                    "one fails with 'address in use'")
                    .defaultsTo("false"),
                field::string("metrics_token",
                              "Bearer token /metrics requires; give it as metrics_token#env or "
                              "metrics_token#file. Unset: /metrics is open")
                    .sensitive(),
                field::string("quota_view",
                              "What Codex clients are told of their quota: pool (the pool's "
                              "share for their key) or upstream (the serving account's own)")
                    .defaultsTo("pool")
                    .oneOf({"pool", "upstream"}),
                field::duration("quota_view_refresh",
                                "How long one computed view of a pool's quota is reused by the "
                                "answers that show it (0s: computed for every answer)")
                    .defaultsTo("1s"),
                field::integer("handoff_history_entries",
                               "Most responses whose history is kept for pools with handoff "
                               "(0: none kept, no handoff)")
                    .defaultsTo("10000")
                    .between(0, 10000000),
                field::size("handoff_history_bytes",
                            "Most bytes of response history kept for pools with handoff; a "
                            "conversation larger than this cannot be handed off")
                    .defaultsTo("256MiB"),
            }),
        field::object(
            "plugins", "Which plugin libraries to load",
            {
                field::stringList("paths", "Extra directories searched before the defaults")
                    .defaultsTo("[]"),
                field::stringList("load", "Plugins to load, e.g. storage-sqlite").mandatory(),
            }),
        field::object(
            "storage", "Where pools, accounts, keys and logs live",
            {
                field::string("type", "A storage backend factory, e.g. sqlite").mandatory(),
                field::any("config", "The backend's own settings"),
            }),
        field::object("shared_state",
                      "Hot state shared by gateway replicas (ADR 0012); none by default",
                      {
                          field::string("type",
                                        "A shared state factory, e.g. redis; empty keeps all "
                                        "hot state in this process")
                              .defaultsTo("\"\""),
                          field::any("config", "The shared state's own settings"),
                      }),
        field::object(
            "secrets", "Encryption of upstream credentials at rest (AES-256-GCM)",
            {
                field::string("key", "32-byte key, base64 or hex; give it as key#env or key#file")
                    .mandatory()
                    .sensitive(),
                field::integer("key_version", "Version stored with every secret encrypted now")
                    .defaultsTo("1")
                    .between(1, 1000000),
                field::objectList(
                    "retired_keys", "Older keys still accepted for decryption",
                    {
                        field::integer("version", "Key version").mandatory().between(1, 1000000),
                        field::string("key", "The retired key").mandatory().sensitive(),
                    })
                    .defaultsTo("[]"),
            }),
        field::object(
            "upstream", "The ChatGPT Codex backend and how Sluice presents itself to it",
            {
                field::string("chatgpt_base_url", "Origin of the backend")
                    .defaultsTo("https://chatgpt.com"),
                field::string("auth_base_url", "Origin of the OAuth token endpoint")
                    .defaultsTo("https://auth.openai.com"),
                field::string("client_version",
                              "Codex client version sent as `version` and `?client_version=`")
                    .defaultsTo("0.169.0"),
                field::string("codex_path",
                              "Upstream prefix of Responses, compact and the model catalog")
                    .defaultsTo("/backend-api/codex"),
                field::string("backend_path",
                              "Upstream prefix of files, transcription, WHAM and usage")
                    .defaultsTo("/backend-api"),
                field::string("originator", "Sent as `originator` and in the user-agent")
                    .defaultsTo("codex_cli_rs"),
                field::duration("connect_timeout", "Upstream connect timeout").defaultsTo("15s"),
                field::duration("read_timeout", "Longest upstream silence before an attempt fails")
                    .defaultsTo("300s"),
                field::duration("first_byte_timeout",
                                "Longest wait for one account's answer to begin (its status line)")
                    .defaultsTo("120s"),
                field::duration(
                    "answer_deadline",
                    "Longest a request waits for an answer to begin, failovers included")
                    .defaultsTo("300s"),
                field::duration("stream_keepalive", "SSE keepalive comment interval while idle")
                    .defaultsTo("10s"),
                field::duration("websocket_max_age",
                                "Upstream websockets are replaced, unseen by the client, at the "
                                "first turn boundary after this age (the backend caps them at 60m)")
                    .defaultsTo("50m"),
            }),
        field::object(
            "billing", "Wallet charging of customers' keys (ADR 0008)",
            {
                field::string("journal",
                              "Write-ahead file of charges not yet booked; empty turns billing off")
                    .defaultsTo("\"\""),
                field::duration("apply_interval", "Longest a charge waits to be booked")
                    .defaultsTo("200ms"),
                field::duration("reload_interval",
                                "How often key links, balances and rate cards are reread")
                    .defaultsTo("5s"),
                field::string("stripe_webhook_secret",
                              "Signing secret (whsec_...) of the Stripe endpoint that credits "
                              "wallets from paid Checkout Sessions; give it as "
                              "stripe_webhook_secret#env or #file. Unset: the webhook answers 503")
                    .sensitive(),
                field::integer("balance_gauge_wallets",
                               "How many wallets, lowest balance first, /metrics shows in "
                               "sluice_wallet_balance_usd (wallets some key spends from; 0: none)")
                    .between(0, 1000)
                    .defaultsTo("20"),
                field::duration("stripe_tolerance",
                                "How far a Stripe signature's timestamp may be from the clock")
                    .defaultsTo("5m"),
            }),
        field::object(
            "alerts",
            "Alert rules evaluated in the background, listed by alerts.list and on the admin "
            "page, and delivered to an optional signed webhook (docs/operations.md)",
            {
                field::duration("interval", "How often the rules are evaluated").defaultsTo("15s"),
                field::integer("capacity_below_percent",
                               "A pool's 5-hour or weekly quota left, averaged over its accounts "
                               "(those without evidence count as full), below this fires "
                               "pool_capacity_low (0: off)")
                    .defaultsTo("10")
                    .between(0, 100),
                field::integer("error_rate_above_percent",
                               "A pool's requests answered with a status of 400 or more, as a "
                               "share of its requests over error_rate_window, above this fires "
                               "error_rate_high (0: off)")
                    .defaultsTo("25")
                    .between(0, 100),
                field::duration("error_rate_window",
                                "The span the error rate is measured over, in whole minutes "
                                "(1m to 60m)")
                    .defaultsTo("5m"),
                field::integer("error_rate_min_requests",
                               "Fewer requests than this over the window never fire "
                               "error_rate_high")
                    .defaultsTo("20")
                    .between(1, 1000000),
                field::string("webhook_url",
                              "http(s) URL each alert's firing and resolution is POSTed to; "
                              "empty: no webhook")
                    .defaultsTo("\"\""),
                field::string("webhook_secret",
                              "Signs each delivery (Sluice-Signature: t=<unix>,v1=<hex "
                              "HMAC-SHA256 of \"<t>.<body>\">); give it as webhook_secret#env or "
                              "#file. Required with webhook_url")
                    .sensitive(),
                field::duration("webhook_timeout", "Longest wait for the receiver's answer")
                    .defaultsTo("10s"),
                field::duration("webhook_retry",
                                "First wait after a failed delivery (doubles each attempt)")
                    .defaultsTo("5s"),
                field::integer("webhook_attempts",
                               "Attempts per delivery before it is given up (and logged)")
                    .defaultsTo("6")
                    .between(1, 100),
            }),
        field::object(
            "response_store",
            "The opt-in store of answers (ADR 0011) that route families turn on, e.g. "
            "openai_v1's response_store; it writes behind the requests",
            {
                field::duration("purge_interval",
                                "How often answers past their retention are "
                                "removed from storage")
                    .defaultsTo("1m"),
                field::duration("read_wait",
                                "Longest a store route waits for the answers kept before it to be "
                                "written, so a client reads what it just created")
                    .defaultsTo("2s"),
                field::integer("queue_limit",
                               "Most answers waiting to be written; past it the oldest is dropped "
                               "(sluice_response_store_dropped_total)")
                    .defaultsTo("10000")
                    .between(1, 10000000),
            }),
        field::object(
            "accounts", "Upstream account upkeep: token refresh and quota probes",
            {
                field::duration("refresh_margin",
                                "Refresh an access token this long before it expires")
                    .defaultsTo("5m"),
                field::duration("refresh_check_interval",
                                "How often accounts are checked for due refreshes and quota probes")
                    .defaultsTo("5s"),
                field::duration("refresh_retry",
                                "First wait after a failed refresh (doubles, up to 30m)")
                    .defaultsTo("1m"),
                field::duration("usage_probe_interval",
                                "Each account's quota is read this often (0 disables)")
                    .defaultsTo("60s"),
                field::duration("usage_probe_timeout", "Longest wait for one quota read")
                    .defaultsTo("30s"),
                field::duration("quota_freshness", "Quota evidence older than this is ignored")
                    .defaultsTo("15m"),
                field::string("oauth_client_id", "OAuth client id used for refresh grants")
                    .defaultsTo("app_EMoamEEZ73f0CkXaXp7hrann"),
            }),
        field::object(
            "logging", "Gateway log",
            {
                field::string("level", "Lowest level written")
                    .defaultsTo("info")
                    .oneOf({"debug", "info", "warning", "error"}),
                field::string("file", "Log file; standard error when empty").defaultsTo("\"\""),
            }),
        field::objectMap(
            "strategies", "Named, configured routing strategies",
            {
                field::string("type", "A routing strategy factory, e.g. round_robin").mandatory(),
                field::any("config", "The strategy's own settings"),
            }),
        field::objectMap(
            "pools", "Pools declared in the pipeline (more can live in storage)",
            {
                field::string("strategy", "Name of an entry under strategies").mandatory(),
                field::integer("ring_size", "Most accounts tried for one request")
                    .defaultsTo("3")
                    .between(1, 64),
                field::boolean("sticky_sessions", "Keep a conversation on one account")
                    .defaultsTo("true"),
                field::boolean("handoff",
                               "When the account a conversation is pinned to is gone, go on on "
                               "another account, replaying its history without what only the "
                               "first account can read (its history is kept in memory)")
                    .defaultsTo("false"),
            }),
        field::objectList(
            "routes", "Route families and where they are mounted",
            {
                field::string("family", "A route family factory, e.g. codex_backend").mandatory(),
                field::string("mount", "Path prefix; the family's default when absent"),
                field::any("config", "The family's own settings"),
            })
            .defaultsTo("[]"),
    };
    return schema;
}

}  // namespace sluice::core::config
