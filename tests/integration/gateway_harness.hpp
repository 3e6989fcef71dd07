#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/app/gateway_service.hpp"
#include "core/runtime/runtime.hpp"
#include "sluice/sdk/http.hpp"
#include "sluice/sdk/storage_records.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"
#include "tests/emulator/emulator_server.hpp"
#include "tests/emulator/request_recorder.hpp"

namespace sluice::integration {

/// What an HTTP exchange with the gateway produced.
struct HttpReply {
    int status = 0;
    sdk::Headers headers;
    std::string body;

    std::string header(const std::string& name) const;
};

/// A 200 whose (SSE) body carries `response.completed`: the turn ran to its end.
bool completedTurn(const HttpReply& reply);

struct HarnessOptions {
    /// Emulator script (YAML). Accounts listed in `accounts` are imported into pool "team".
    std::string emulator_script;
    /// Emulator account ids to import, with their literal access tokens.
    std::vector<std::pair<std::string, std::string>> accounts;
    std::string strategy = "round_robin";
    /// The strategy's `config:` as YAML flow text, e.g. "{ label: tier=pro }"; empty: none.
    std::string strategy_config;
    int ring_size = 3;
    /// Labels of imported accounts, by emulator account id (none when absent).
    std::map<std::string, sdk::Labels> account_labels;
    /// Plugin directories searched before the build's own, and plugins loaded besides the
    /// storage, strategy and route plugins the harness always loads.
    std::vector<std::string> plugin_paths;
    std::vector<std::string> plugins;
    /// Plugins linked into the test (list them in `plugins` too).
    std::vector<core::plugin::BuiltinPlugin> builtins;
    /// How long stop() lets open requests finish.
    std::string drain_timeout = "10s";
    /// More `server:` entries, flow style, e.g. "max_websocket_message: 64KiB".
    std::string server_yaml;
    /// The upstream the gateway sends model requests to, and its token endpoint's origin;
    /// empty: the emulator.
    std::string chatgpt_base_url;
    std::string auth_base_url;
    /// Extra lines for the `upstream:` section, e.g. "read_timeout: 2s".
    std::string upstream_yaml;
    /// The `accounts:` section (flow style). Probes are off by default so tests that count the
    /// emulator's recorded requests see only their own traffic.
    std::string accounts_yaml = "{ usage_probe_interval: 0s }";
    /// More settings of pool "team", flow style, e.g. "handoff: true".
    std::string team_pool_yaml;
    /// More `pools:` entries, flow style, e.g. "night: { strategy: main }".
    std::string extra_pools_yaml;
    /// More `routes:` entries besides codex_backend, flow style, e.g. "{ family: openai_v1 }"
    /// (its plugin named in `plugins`).
    std::vector<std::string> extra_routes;
    /// Wallet charging on, its journal in the harness's directory (ADR 0008).
    bool billing = false;
    /// Its `billing.reload_interval`.
    std::string billing_reload_interval = "100ms";
    /// More `billing:` fields, e.g. "stripe_webhook_secret: whsec_x".
    std::string billing_yaml;
    /// The `alerts:` section (flow style); empty: the defaults.
    std::string alerts_yaml;
    /// The `response_store:` section (flow style), e.g. "{ purge_interval: 100ms }"; empty: none.
    std::string response_store_yaml;
};

/// An emulator and a gateway (real plugins, SQLite in a temp dir) wired together in-process,
/// with a Pool API key for pool "team". Bound to 127.0.0.1 on free ports.
class GatewayHarness final {
public:
    explicit GatewayHarness(const HarnessOptions& options);
    ~GatewayHarness();

    HttpReply request(const std::string& method, const std::string& path,
                      const std::string& body = "", const sdk::Headers& headers = {},
                      bool with_key = true);
    HttpReply postResponses(const std::string& body, const sdk::Headers& headers = {});

    /// Changes an emulator account's steady behaviour (control API JSON).
    void setBehaviour(const std::string& account_id, const std::string& behaviour_json);
    /// Model requests (POST responses / compact / websocket create) each account received.
    std::map<std::string, int> modelRequestsByAccount();
    /// Model requests the emulator received, over all accounts.
    int modelRequests();
    std::vector<emulator::RecordedRequest> recorded(const std::string& account_id = {});
    /// Recorded requests to one path (e.g. "/oauth/token").
    std::vector<emulator::RecordedRequest> recordedAt(const std::string& path);
    /// The account as stored now.
    sdk::AccountRecord storedAccount(const std::string& label);
    /// Calls the emulator's control API (loopback tooling) and returns its status.
    int emulatorControl(const std::string& method, const std::string& path,
                        const std::string& body = "");
    /// Total of a metric family's series whose label text contains `labels`.
    double metric(const std::string& name, const std::string& labels = "");
    /// Request-log rows written so far (flushes the writer first).
    std::vector<sdk::RequestLogRecord> requestLogs();
    /// Waits (up to 5 s) until at least `count` rows exist: a handler submits its row only
    /// after the client has seen the whole response.
    std::vector<sdk::RequestLogRecord> requestLogsAtLeast(std::size_t count);
    std::string gatewayLog();
    /// Whether the gateway log shows `text` within 5 s (log lines are written asynchronously).
    bool gatewayLogShows(std::string_view text);

    /// Stops the gateway and starts a new one on the same storage, as a process restart would
    /// (on another free port; request() follows it).
    void restartGateway();

    /// Rewrites the pipeline from `options` (emulator script and accounts ignored) and reloads.
    core::config::ConfigIssues reload(const HarnessOptions& options);
    /// Replaces the pipeline file's text as is and reloads.
    core::config::ConfigIssues reloadText(const std::string& yaml);

    core::runtime::Runtime& runtime() { return *runtime_; }
    core::app::GatewayService& gateway() { return *gateway_; }
    emulator::EmulatorServer& upstream() { return *emulator_; }
    const std::string& key() const { return key_; }
    /// The gateway's SQLite file.
    std::filesystem::path databasePath() const { return dir_.path() / "sluice.db"; }
    std::uint16_t port() const { return gateway_->port(); }
    std::string accountId(const std::string& label);

    /// The gateway's operator control, as the admin API has it: each change refreshes the
    /// running gateway's directory at once.
    core::control::ControlContext& control();
    /// Stores `policy_json` on the harness key, as `keys.set_policy` does.
    sdk::Status setKeyPolicy(const std::string& policy_json);
    /// Issues an admin or MCP token and returns it (throws if storage refuses).
    std::string issueOperatorToken(sdk::OperatorTokenKind kind, const std::string& name);

    /// Options for two emulated accounts, acct-a and acct-b (tokens tok-a, tok-b), in pool team.
    static HarnessOptions twoAccounts();
    /// A typical streamed Codex turn body.
    static std::string turnBody(const std::string& text = "hi", bool stream = true);

private:
    std::string pipelineYaml(const HarnessOptions& options) const;

    sdk::testing::TempDirectory dir_;
    std::unique_ptr<emulator::EmulatorServer> emulator_;
    std::unique_ptr<core::runtime::Runtime> runtime_;
    std::unique_ptr<core::app::GatewayService> gateway_;
    std::string key_;
};

}  // namespace sluice::integration
