#include "core/config/pipeline_loader.hpp"

#include <map>
#include <set>

#include "core/config/pipeline_schema.hpp"
#include "core/config/schema_validator.hpp"
#include "core/config/section_readers.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/security/secret_box.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::core::config {

namespace cfg = sdk::config;

namespace {

bool parseListen(const std::string& text, std::string& host, std::uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return false;
    }
    std::int64_t value = 0;
    for (std::size_t i = colon + 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
        if (value > 65535) {
            return false;
        }
    }
    host = text.substr(0, colon);
    port = static_cast<std::uint16_t>(value);
    return true;
}

std::string normalizeMount(std::string mount) {
    while (mount.size() > 1 && mount.back() == '/') {
        mount.pop_back();
    }
    return mount;
}

std::string namesOf(const std::vector<std::string>& names) {
    if (names.empty()) {
        return "none";
    }
    std::string out;
    for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + name;
    }
    return out;
}

class Resolver {
public:
    Resolver(ConfigTree& root, plugin::PluginRegistry& registry, ConfigIssues& issues)
        : root_(root), registry_(registry), issues_(issues) {}

    void readServer(ServerSettings& server) {
        const ConfigTree& node = requireSection(root_, "server");
        const std::string listen = cfg::getString(node, "listen");
        if (!parseListen(listen, server.listen_host, server.listen_port)) {
            issue(*node.find("listen"), "expected host:port, e.g. 127.0.0.1:4000");
        }
        server.loop_threads = static_cast<std::uint32_t>(cfg::getInt(node, "loop_threads"));
        server.max_threads = static_cast<std::uint32_t>(cfg::getInt(node, "max_threads"));
        server.max_queued = static_cast<std::uint32_t>(cfg::getInt(node, "max_queued"));
        server.max_body_bytes = cfg::getSize(node, "max_body");
        server.max_header_bytes = cfg::getSize(node, "max_header");
        server.max_websocket_message_bytes = cfg::getSize(node, "max_websocket_message");
        server.websocket_message_timeout = cfg::getDuration(node, "websocket_message_timeout");
        server.drain_timeout = cfg::getDuration(node, "drain_timeout");
        server.idle_timeout = cfg::getDuration(node, "idle_timeout");
        server.header_timeout = cfg::getDuration(node, "header_timeout");
        server.body_timeout = cfg::getDuration(node, "body_timeout");
        server.share_port = cfg::getBool(node, "share_port");
        server.pool_quota_view = cfg::getString(node, "quota_view") == "pool";
        server.quota_view_refresh = cfg::getDuration(node, "quota_view_refresh");
        server.handoff_history_entries =
            static_cast<std::uint64_t>(cfg::getInt(node, "handoff_history_entries"));
        server.handoff_history_bytes = cfg::getSize(node, "handoff_history_bytes");
        server.metrics_token = optionalSecret(node, "metrics_token", "a non-empty token", issues_);
    }

    void readSecrets(SecretSettings& secrets) {
        const ConfigTree& node = requireSection(root_, "secrets");
        if (cfg::has(node, "key")) {
            secrets.key = cfg::getString(node, "key");
            if (!security::SecretBox::decodeKey(secrets.key)) {
                issue(*node.find("key"),
                      "expected a 32-byte key, base64 or hex encoded "
                      "(e.g. from `openssl rand -base64 32`)");
            }
        }
        secrets.key_version = static_cast<std::uint32_t>(cfg::getInt(node, "key_version"));
        std::set<std::uint32_t> versions{secrets.key_version};
        const ConfigTree* retired = &requireSection(node, "retired_keys");
        for (const auto& item : retired->items()) {
            RetiredKey key{static_cast<std::uint32_t>(cfg::getInt(*item, "version")),
                           cfg::getString(*item, "key")};
            if (!security::SecretBox::decodeKey(key.key)) {
                issue(*item->find("key"), "expected a 32-byte key, base64 or hex encoded");
            }
            if (!versions.insert(key.version).second) {
                issue(*item->find("version"),
                      "key version " + std::to_string(key.version) + " is used twice");
            }
            secrets.retired_keys.push_back(std::move(key));
        }
    }

    void readUpstream(UpstreamSettings& upstream) {
        const ConfigTree& node = requireSection(root_, "upstream");
        upstream.chatgpt_base_url = cfg::getString(node, "chatgpt_base_url");
        upstream.auth_base_url = cfg::getString(node, "auth_base_url");
        upstream.client_version = cfg::getString(node, "client_version");
        upstream.codex_path = upstreamPrefix(node, "codex_path");
        upstream.backend_path = upstreamPrefix(node, "backend_path");
        upstream.originator = cfg::getString(node, "originator");
        upstream.connect_timeout = cfg::getDuration(node, "connect_timeout");
        upstream.read_timeout = cfg::getDuration(node, "read_timeout");
        upstream.first_byte_timeout = cfg::getDuration(node, "first_byte_timeout");
        upstream.answer_deadline = cfg::getDuration(node, "answer_deadline");
        upstream.stream_keepalive = cfg::getDuration(node, "stream_keepalive");
        upstream.websocket_max_age = cfg::getDuration(node, "websocket_max_age");
        for (const char* key : {"chatgpt_base_url", "auth_base_url"}) {
            const std::string& url = node.find(key)->scalar();
            if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
                issue(*node.find(key), "expected an http:// or https:// URL");
            }
        }
    }

    // An absolute path prefix without its trailing '/'.
    std::string upstreamPrefix(const ConfigTree& node, const char* key) {
        std::string path = cfg::getString(node, key);
        while (!path.empty() && path.back() == '/') {
            path.pop_back();
        }
        if (path.empty() || path.front() != '/') {
            issue(*node.find(key), "must be an absolute path below the origin, e.g. /backend-api");
        }
        return path;
    }

    void readAccounts(AccountSettings& accounts) {
        const ConfigTree& node = requireSection(root_, "accounts");
        accounts.refresh_margin = cfg::getDuration(node, "refresh_margin");
        accounts.refresh_check_interval = cfg::getDuration(node, "refresh_check_interval");
        accounts.refresh_retry = cfg::getDuration(node, "refresh_retry");
        accounts.usage_probe_interval = cfg::getDuration(node, "usage_probe_interval");
        accounts.usage_probe_timeout = cfg::getDuration(node, "usage_probe_timeout");
        accounts.quota_freshness = cfg::getDuration(node, "quota_freshness");
        accounts.oauth_client_id = cfg::getString(node, "oauth_client_id");
    }

    void loadPlugins(PluginSettings& plugins, const std::vector<std::filesystem::path>& defaults,
                     const std::vector<plugin::BuiltinPlugin>& builtins) {
        const ConfigTree& node = requireSection(root_, "plugins");
        for (const auto& path : cfg::getStringList(node, "paths")) {
            plugins.paths.emplace_back(path);
        }
        std::vector<std::filesystem::path> search = plugins.paths;
        search.insert(search.end(), defaults.begin(), defaults.end());
        plugin::PluginLoader loader(search, registry_, builtins);
        const ConfigTree* load = &requireSection(node, "load");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < load->items().size(); ++i) {
            const ConfigTree& item = *load->item(i);
            const std::string& name = item.scalar();
            plugins.load.push_back(name);
            if (!seen.insert(name).second) {
                issue(item, "plugin '" + name + "' is listed twice");
                continue;
            }
            try {
                loader.load(name);
            } catch (const plugin::PluginError& e) {
                issue(item, e.what());
            }
        }
    }

    void readStorage(StorageSettings& storage) {
        ConfigTree& node = requireSection(root_, "storage");
        storage.type = cfg::getString(node, "type");
        const sdk::StorageBackendFactory* factory = registry_.storageBackend(storage.type);
        ConfigTree& config = ensureMap(node, "config");
        storage.config = &config;
        if (factory == nullptr) {
            issue(*node.find("type"),
                  "no storage backend named '" + storage.type + "' (available: " +
                      namesOf(registry_.names(plugin::FactoryKind::StorageBackend)) +
                      "); is its plugin listed under plugins.load?");
            return;
        }
        validateAgainstSchema(config, factory->schema(), issues_);
    }

    void readSharedState(SharedStateSettings& shared) {
        ConfigTree& node = requireSection(root_, "shared_state");
        shared.type = cfg::getString(node, "type");
        ConfigTree& config = ensureMap(node, "config");
        shared.config = &config;
        if (shared.type.empty()) {
            return;  // one replica: every piece of hot state stays local
        }
        const sdk::SharedStateFactory* factory = registry_.sharedState(shared.type);
        if (factory == nullptr) {
            issue(*node.find("type"),
                  "no shared state named '" + shared.type + "' (available: " +
                      namesOf(registry_.names(plugin::FactoryKind::SharedState)) +
                      "); is its plugin listed under plugins.load?");
            return;
        }
        validateAgainstSchema(config, factory->schema(), issues_);
    }

    void readStrategies(std::vector<StrategyDecl>& strategies) {
        ConfigTree& node = requireSection(root_, "strategies");
        for (const auto& [name, entry] : node.entries()) {
            StrategyDecl decl{name, cfg::getString(*entry, "type"), nullptr};
            ConfigTree& config = ensureMap(*entry, "config");
            decl.config = &config;
            const sdk::RoutingStrategyFactory* factory = registry_.strategy(decl.type);
            if (factory == nullptr) {
                issue(*entry->find("type"),
                      "no routing strategy named '" + decl.type + "' (available: " +
                          namesOf(registry_.names(plugin::FactoryKind::RoutingStrategy)) + ")");
            } else {
                validateAgainstSchema(config, factory->schema(), issues_);
            }
            strategies.push_back(std::move(decl));
        }
    }

    void readPools(std::vector<PoolDecl>& pools, const std::vector<StrategyDecl>& strategies) {
        const ConfigTree& node = requireSection(root_, "pools");
        std::vector<std::string> declared;
        for (const auto& decl : strategies) {
            declared.push_back(decl.name);
        }
        for (const auto& [name, entry] : node.entries()) {
            PoolDecl pool{name, cfg::getString(*entry, "strategy"),
                          static_cast<std::uint32_t>(cfg::getInt(*entry, "ring_size")),
                          cfg::getBool(*entry, "sticky_sessions"), cfg::getBool(*entry, "handoff")};
            const bool known =
                std::find(declared.begin(), declared.end(), pool.strategy) != declared.end();
            if (!known) {
                issue(*entry->find("strategy"),
                      "strategy '" + pool.strategy +
                          "' is not defined under strategies (defined: " + namesOf(declared) + ")");
            }
            pools.push_back(std::move(pool));
        }
    }

    void readRoutes(std::vector<RouteDecl>& routes) {
        ConfigTree& node = requireSection(root_, "routes");
        std::map<std::string, std::string> mounts;  // mount -> path of the route that took it
        for (std::size_t i = 0; i < node.items().size(); ++i) {
            ConfigTree& entry = *node.items()[i];
            RouteDecl route{cfg::getString(entry, "family"), "", nullptr};
            ConfigTree& config = ensureMap(entry, "config");
            route.config = &config;
            const sdk::RouteFamilyFactory* factory = registry_.routeFamily(route.family);
            if (factory == nullptr) {
                issue(*entry.find("family"),
                      "no route family named '" + route.family + "' (available: " +
                          namesOf(registry_.names(plugin::FactoryKind::RouteFamily)) + ")");
                continue;
            }
            validateAgainstSchema(config, factory->schema(), issues_);
            const ConfigTree* mount = entry.find("mount");
            route.mount =
                normalizeMount(mount != nullptr && mount->kind() == sdk::ConfigKind::Scalar
                                   ? mount->scalar()
                                   : factory->defaultMount());
            if (route.mount.empty() || route.mount.front() != '/') {
                issue(mount != nullptr ? *mount : entry, "mount must start with '/'");
            }
            // Families may share a mount (openai_v1 and anthropic_messages both serve /v1);
            // the route table refuses any route two of them would serve.
            const auto [it, fresh] = mounts.emplace(route.mount + " " + route.family, entry.path());
            if (!fresh) {
                issue(mount != nullptr ? *mount : entry, "family " + route.family +
                                                             " is already mounted at " +
                                                             route.mount + " by " + it->second);
            }
            routes.push_back(std::move(route));
        }
    }

private:
    void issue(const ConfigTree& node, std::string message) {
        issues_.push_back({node.path(), std::move(message), node.line()});
    }

    ConfigTree& root_;
    plugin::PluginRegistry& registry_;
    ConfigIssues& issues_;
};

}  // namespace

PipelineLoader::PipelineLoader(EnvLookup env,
                               std::vector<std::filesystem::path> default_plugin_paths,
                               std::vector<plugin::BuiltinPlugin> builtins)
    : env_(std::move(env)),
      default_plugin_paths_(std::move(default_plugin_paths)),
      builtins_(std::move(builtins)) {}

ConfigIssues PipelineLoader::load(const std::filesystem::path& file,
                                  plugin::PluginRegistry& registry, Pipeline& out) const {
    ConfigIssues issues;
    ConfigTree::Ptr root = readYamlFile(file, env_, issues);
    if (!root) {
        return issues;
    }
    if (root->kind() != sdk::ConfigKind::Map) {
        issues.push_back({"", "the pipeline must be a YAML map", root->line()});
        return issues;
    }
    validateAgainstSchema(*root, pipelineSchema(), issues);
    Pipeline pipeline;
    pipeline.source = file;
    Resolver resolver(*root, registry, issues);
    // Each section is resolved on its own so one malformed section (already reported by the
    // schema check) does not hide the problems of the others.
    const auto section = [](auto&& step) {
        try {
            step();
        } catch (const sdk::ConfigError&) {
        }
    };
    section([&] { resolver.readServer(pipeline.server); });
    section([&] { resolver.readSecrets(pipeline.secrets); });
    section([&] { resolver.readUpstream(pipeline.upstream); });
    section([&] { resolver.readAccounts(pipeline.accounts); });
    section([&] { readBilling(*root, pipeline.billing, issues); });
    section([&] { readAlerts(*root, pipeline.alerts, issues); });
    section([&] { readResponseStore(*root, pipeline.response_store, issues); });
    section([&] {
        pipeline.logging = {cfg::getString(requireSection(*root, "logging"), "level"),
                            cfg::getString(requireSection(*root, "logging"), "file")};
    });
    section([&] { resolver.loadPlugins(pipeline.plugins, default_plugin_paths_, builtins_); });
    section([&] { resolver.readStorage(pipeline.storage); });
    section([&] { resolver.readSharedState(pipeline.shared_state); });
    section([&] { resolver.readStrategies(pipeline.strategies); });
    section([&] { resolver.readPools(pipeline.pools, pipeline.strategies); });
    section([&] { resolver.readRoutes(pipeline.routes); });
    if (issues.empty()) {
        pipeline.tree = std::move(root);
        out = std::move(pipeline);
    }
    return issues;
}

}  // namespace sluice::core::config
