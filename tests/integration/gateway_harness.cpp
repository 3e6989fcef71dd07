#include "tests/integration/gateway_harness.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/auth/credential_token.hpp"
#include "core/control/account_service.hpp"
#include "core/control/credential_service.hpp"
#include "core/security/encoding.hpp"
#include "tests/emulator/request_recorder.hpp"
#include "tests/emulator/script_loader.hpp"

namespace sluice::integration {

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

HttpReply send(std::uint16_t port, const std::string& method, const std::string& path,
               const std::string& body, const sdk::Headers& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& header : headers) {
        request.set(header.name, header.value);
    }
    if (!body.empty() || method == "POST") {
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        if (!request.has("Content-Type")) {
            request.setContentType("application/json");
        }
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) {
        reply.headers.push_back({name, value});
    }
    try {
        Poco::StreamCopier::copyToString(in, reply.body);
    } catch (const Poco::Exception&) {
        // A stream cut by the gateway: keep what arrived.
    }
    return reply;
}

}  // namespace

std::string HttpReply::header(const std::string& name) const {
    return std::string(sdk::findHeader(headers, name).value_or(""));
}

bool completedTurn(const HttpReply& reply) {
    return reply.status == 200 &&
           reply.body.find("\"type\":\"response.completed\"") != std::string::npos;
}

HarnessOptions GatewayHarness::twoAccounts() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a }\n"
        "  - { id: acct-b, access_token: tok-b }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    return o;
}

std::string GatewayHarness::turnBody(const std::string& text, bool stream) {
    return R"({"model":"gpt-5.5","stream":)" + std::string(stream ? "true" : "false") +
           R"(,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":")" +
           text + R"("}]}]})";
}

GatewayHarness::GatewayHarness(const HarnessOptions& options) : dir_("sluice-gateway-it") {
    emulator_ = std::make_unique<emulator::EmulatorServer>(emulator::parseScript(
        options.emulator_script, static_cast<std::int64_t>(std::time(nullptr))));
    emulator_->start("127.0.0.1", 0);

    const std::string secret = core::security::toBase64(core::security::randomBytes(32));
    const std::filesystem::path config = dir_.path() / "sluice.yaml";
    std::ofstream(config) << pipelineYaml(options);
    core::runtime::RuntimeOptions runtime_options;
    runtime_options.config = config;
    runtime_options.executable = std::filesystem::path(SLUICE_PLUGIN_DIR) / "none";
    runtime_options.builtins = options.builtins;
    runtime_options.env = [secret](const std::string& name) -> std::optional<std::string> {
        if (name == "SLUICE_SECRET_KEY") {
            return secret;
        }
        return std::nullopt;
    };
    runtime_ = core::runtime::Runtime::open(runtime_options);

    core::control::ControlContext control{runtime_->storage(),
                                          core::control::borrowedPipeline(runtime_->pipeline()),
                                          runtime_->secrets(), runtime_->host().clock(), nullptr};
    core::control::AccountService accounts(control);
    for (const auto& [id, token] : options.accounts) {
        const std::string auth_json = R"({"auth_mode":"chatgpt","tokens":{"access_token":")" +
                                      token + R"(","refresh_token":"rt-)" + id +
                                      R"(","account_id":")" + id + R"("}})";
        const auto labels = options.account_labels.find(id);
        const auto imported = accounts.importAuthJson(
            "team", auth_json, id,
            labels == options.account_labels.end() ? sdk::Labels{} : labels->second, "test");
        if (!imported.ok()) {
            throw std::runtime_error("import failed: " + imported.status().message());
        }
    }
    const auto issued = core::control::CredentialService(control).createKey("team", "it", "test");
    if (!issued.ok()) {
        throw std::runtime_error("key creation failed: " + issued.status().message());
    }
    key_ = issued->raw;
    gateway_ = std::make_unique<core::app::GatewayService>(*runtime_);
    gateway_->start();
}

std::string GatewayHarness::pipelineYaml(const HarnessOptions& options) const {
    std::string paths;
    for (const std::string& path : options.plugin_paths) {
        paths += "\"" + path + "\", ";
    }
    std::string plugins = "storage-sqlite, strategy-builtin, route-codex";
    for (const std::string& plugin : options.plugins) {
        plugins += ", " + plugin;
    }
    std::ostringstream yaml;
    yaml << "version: 1\n"
         << "server: { listen: \"127.0.0.1:0\", drain_timeout: " << options.drain_timeout
         << (options.server_yaml.empty() ? "" : ", " + options.server_yaml) << " }\n"
         << "plugins: { paths: [" << paths << "\"" << SLUICE_PLUGIN_DIR << "\"], load: [" << plugins
         << "] }\n"
         << "storage: { type: sqlite, config: { path: \"" << (dir_.path() / "sluice.db").string()
         << "\" } }\n"
         << "secrets: { key#env: SLUICE_SECRET_KEY }\n"
         << "upstream:\n  chatgpt_base_url: "
         << (options.chatgpt_base_url.empty() ? emulator_->baseUrl() : options.chatgpt_base_url)
         << "\n  auth_base_url: "
         << (options.auth_base_url.empty() ? emulator_->baseUrl() : options.auth_base_url) << "\n"
         << (options.upstream_yaml.empty() ? "" : "  " + options.upstream_yaml + "\n")
         << "accounts: " << options.accounts_yaml << "\n"
         << (options.billing
                 ? "billing: { journal: \"" + (dir_.path() / "charges.journal").string() +
                       "\", apply_interval: 10ms, reload_interval: " +
                       options.billing_reload_interval +
                       (options.billing_yaml.empty() ? "" : ", " + options.billing_yaml) + " }\n"
                 : "")
         << (options.alerts_yaml.empty() ? "" : "alerts: " + options.alerts_yaml + "\n")
         << (options.response_store_yaml.empty()
                 ? ""
                 : "response_store: " + options.response_store_yaml + "\n")
         << "logging: { level: debug, file: \"" << (dir_.path() / "gateway.log").string()
         << "\" }\n"
         << "strategies: { main: { type: " << options.strategy
         << (options.strategy_config.empty() ? "" : ", config: " + options.strategy_config)
         << " } }\n"
         << "pools: { team: { strategy: main, ring_size: " << options.ring_size
         << (options.team_pool_yaml.empty() ? "" : ", " + options.team_pool_yaml) << " }"
         << (options.extra_pools_yaml.empty() ? "" : ", " + options.extra_pools_yaml) << " }\n"
         << "routes:\n  - family: codex_backend\n";
    for (const std::string& route : options.extra_routes) {
        yaml << "  - " << route << "\n";
    }
    return yaml.str();
}

core::config::ConfigIssues GatewayHarness::reload(const HarnessOptions& options) {
    return reloadText(pipelineYaml(options));
}

core::config::ConfigIssues GatewayHarness::reloadText(const std::string& yaml) {
    std::ofstream(dir_.path() / "sluice.yaml") << yaml;
    return gateway_->reload();
}

GatewayHarness::~GatewayHarness() {
    gateway_->stop();
    gateway_.reset();
    emulator_->stop();
}

void GatewayHarness::restartGateway() {
    gateway_->stop();
    gateway_.reset();
    gateway_ = std::make_unique<core::app::GatewayService>(*runtime_);
    gateway_->start();
}

HttpReply GatewayHarness::request(const std::string& method, const std::string& path,
                                  const std::string& body, const sdk::Headers& headers,
                                  bool with_key) {
    sdk::Headers all = headers;
    if (with_key) {
        all.push_back({"Authorization", "Bearer " + key_});
    }
    return send(port(), method, path, body, all);
}

HttpReply GatewayHarness::postResponses(const std::string& body, const sdk::Headers& headers) {
    return request("POST", "/backend-api/codex/responses", body, headers);
}

void GatewayHarness::setBehaviour(const std::string& account_id,
                                  const std::string& behaviour_json) {
    if (emulatorControl("PUT", "accounts/" + account_id + "/behaviour", behaviour_json) != 200) {
        throw std::runtime_error("emulator refused the behaviour for " + account_id);
    }
}

std::vector<emulator::RecordedRequest> GatewayHarness::recorded(const std::string& account_id) {
    return emulator_->recorder().snapshot(account_id);
}

std::vector<emulator::RecordedRequest> GatewayHarness::recordedAt(const std::string& path) {
    return emulator_->recorder().snapshot({}, path);
}

sdk::AccountRecord GatewayHarness::storedAccount(const std::string& label) {
    return runtime_->storage().accounts().get(accountId(label)).value();
}

int GatewayHarness::emulatorControl(const std::string& method, const std::string& path,
                                    const std::string& body) {
    return send(emulator_->port(), method, "/__emulator/" + path, body, {}).status;
}

std::map<std::string, int> GatewayHarness::modelRequestsByAccount() {
    std::map<std::string, int> counts;
    for (const auto& record : emulator_->recorder().snapshot()) {
        if (record.model.has_value() || record.transport == "websocket") {
            ++counts[record.account_id];
        }
    }
    return counts;
}

int GatewayHarness::modelRequests() {
    int total = 0;
    for (const auto& [account, count] : modelRequestsByAccount()) {
        total += count;
    }
    return total;
}

double GatewayHarness::metric(const std::string& name, const std::string& labels) {
    const HttpReply reply = request("GET", "/metrics", "", {}, false);
    std::istringstream lines(reply.body);
    std::string line;
    double total = 0;
    while (std::getline(lines, line)) {
        if (line.rfind(name, 0) == 0 &&
            (line.size() == name.size() || line[name.size()] == '{' || line[name.size()] == ' ') &&
            line.find(labels) != std::string::npos) {
            total += std::stod(line.substr(line.rfind(' ') + 1));
        }
    }
    return total;
}

std::vector<sdk::RequestLogRecord> GatewayHarness::requestLogs() {
    gateway_->requestLog().flush();
    sdk::RequestLogQuery query;
    query.limit = 1000;
    auto page = runtime_->storage().requestLogs().query(query);
    return page.ok() ? page->items : std::vector<sdk::RequestLogRecord>{};
}

std::vector<sdk::RequestLogRecord> GatewayHarness::requestLogsAtLeast(std::size_t count) {
    auto rows = requestLogs();
    for (int i = 0; i < 500 && rows.size() < count; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        rows = requestLogs();
    }
    return rows;
}

std::string GatewayHarness::gatewayLog() {
    return readFile(dir_.path() / "gateway.log");
}

bool GatewayHarness::gatewayLogShows(std::string_view text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (gatewayLog().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

std::string GatewayHarness::accountId(const std::string& label) {
    const auto accounts = runtime_->storage().accounts().list(std::nullopt);
    for (const auto& account : accounts.value()) {
        if (account.label == label) {
            return account.id;
        }
    }
    return {};
}

core::control::ControlContext& GatewayHarness::control() {
    return gateway_->control();
}

sdk::Status GatewayHarness::setKeyPolicy(const std::string& policy_json) {
    const auto token = core::auth::parseToken(key_);
    if (!token) {
        return {sdk::StatusCode::Internal, "the harness key does not parse"};
    }
    const auto stored = core::control::CredentialService(control()).setKeyPolicy(
        token->prefix, policy_json, "test");
    return stored.ok() ? sdk::Status::success() : stored.status();
}

std::string GatewayHarness::issueOperatorToken(sdk::OperatorTokenKind kind,
                                               const std::string& name) {
    auto issued = core::control::CredentialService(control()).createToken(kind, name, "test");
    if (!issued.ok()) {
        throw std::runtime_error("token creation failed: " + issued.status().message());
    }
    return issued->raw;
}

}  // namespace sluice::integration
