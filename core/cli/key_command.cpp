#include "core/cli/client_snippet.hpp"
#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/control/credential_service.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::cli {

namespace {

nlohmann::json keyJson(const sdk::ApiKeyRecord& key) {
    return {{"prefix", key.prefix},
            {"pool", key.pool},
            {"name", key.name},
            {"status", control::credentialStatusName(key.status)},
            {"policy", ops::views::keyPolicy(key)},
            {"created_at", formatTime(key.created_at)},
            {"last_used_at", formatTime(key.last_used_at)}};
}

// `snippet`, when given, tells a Codex CLI where to find the gateway; the raw key stays the last
// line of the text output.
void printIssuedKey(CommandContext& context, const control::Issued<sdk::ApiKeyRecord>& issued,
                    const char* verb, const std::optional<ClientSnippet>& snippet = std::nullopt) {
    if (context.json) {
        auto item = keyJson(issued.record);
        item["key"] = issued.raw;
        if (snippet) {
            item["client"] = {{"base_url", snippet->base_url},
                              {"env_key", snippet->env_key},
                              {"codex_config_toml", snippet->config_toml}};
        }
        printJson(context.out, item);
        return;
    }
    context.out << verb << " key " << issued.record.prefix << " for pool " << issued.record.pool
                << '\n';
    if (snippet) {
        context.out << "\nCodex CLI: put this in ~/.codex/config.toml and export "
                    << snippet->env_key << "=<the key>:\n\n"
                    << snippet->config_toml << '\n';
    }
    context.out << "Store the key now, it is not shown again:\n" << issued.raw << '\n';
}

}  // namespace

/// `sluice key create --pool P --name N [--gateway-url URL]` (with the Codex CLI's config for it)
/// and `key rotate PREFIX` (the raw key is the last line of stdout), `key list [--pool P]` (never a
/// raw key), `key policy PREFIX --set JSON`, `key revoke|pause|resume PREFIX`.
int keyCommand(CommandContext& context) {
    const std::string& action =
        context.args.word(1, "action (create, list, rotate, policy, revoke, pause or resume)");
    if (action == "create") {
        context.args.expect({"--config", "--json", "--pool", "--name", "--gateway-url"}, 2);
        const auto url = context.args.option("--gateway-url");
        if (url && !isGatewayOrigin(*url)) {
            throw UsageError(
                "--gateway-url must be http://host[:port] or https://host[:port], got '" + *url +
                "'");
        }
    } else if (action == "list") {
        context.args.expect({"--config", "--json", "--pool"}, 2);
    } else if (action == "policy") {
        context.args.expect({"--config", "--json", "--set"}, 3);
    } else if (action == "rotate" || action == "revoke" || action == "pause" ||
               action == "resume") {
        context.args.expect({"--config", "--json"}, 3);
    } else {
        throw UsageError("unknown key action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::CredentialService credentials(control);
    if (action == "create") {
        auto issued = credentials.createKey(context.args.required("--pool"),
                                            context.args.required("--name"), "cli");
        if (!issued.ok()) {
            return context.fail(issued.status());
        }
        printIssuedKey(
            context, issued.value(), "created",
            codexClientSnippet(runtime->pipeline(), context.args.option("--gateway-url")));
        return 0;
    }
    if (action == "rotate") {
        auto rotated = credentials.rotateKey(context.args.word(2, "key prefix"), "cli");
        if (!rotated.ok()) {
            return context.fail(rotated.status());
        }
        printIssuedKey(context, rotated.value(), "rotated");
        return 0;
    }
    if (action == "policy") {
        auto stored = credentials.setKeyPolicy(context.args.word(2, "key prefix"),
                                               context.args.required("--set"), "cli");
        if (!stored.ok()) {
            return context.fail(stored.status());
        }
        if (context.json) {
            printJson(context.out, keyJson(stored.value()));
        } else {
            context.out << "key " << stored->prefix
                        << " policy: " << keyJson(stored.value())["policy"].dump() << '\n';
        }
        return 0;
    }
    if (action != "list") {
        const std::string& prefix = context.args.word(2, "key prefix");
        const sdk::CredentialStatus target = action == "revoke"  ? sdk::CredentialStatus::Revoked
                                             : action == "pause" ? sdk::CredentialStatus::Paused
                                                                 : sdk::CredentialStatus::Active;
        const sdk::Status status = credentials.setKeyStatus(prefix, target, "cli");
        if (!status.ok()) {
            return context.fail(status);
        }
        context.out << (action == "revoke"  ? "revoked"
                        : action == "pause" ? "paused"
                                            : "resumed")
                    << " key " << prefix << '\n';
        return 0;
    }
    auto listed = credentials.listKeys(context.args.option("--pool"));
    if (!listed.ok()) {
        return context.fail(listed.status());
    }
    if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& key : listed.value()) {
            items.push_back(keyJson(key));
        }
        printJson(context.out, items);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : listed.value()) {
        rows.push_back({k.prefix, k.pool, k.name, control::credentialStatusName(k.status),
                        formatTime(k.created_at), formatTime(k.last_used_at)});
    }
    printTable(context.out, {"PREFIX", "POOL", "NAME", "STATUS", "CREATED", "LAST USED"}, rows);
    return 0;
}

/// `sluice admin-token|mcp-token create --name N | list | revoke PREFIX`.
int tokenCommand(CommandContext& context, sdk::OperatorTokenKind kind) {
    const std::string& action = context.args.word(1, "action (create, list or revoke)");
    if (action == "create") {
        context.args.expect({"--config", "--json", "--name"}, 2);
    } else if (action == "list") {
        context.args.expect({"--config", "--json"}, 2);
    } else if (action == "revoke") {
        context.args.expect({"--config", "--json"}, 3);
    } else {
        throw UsageError("unknown token action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::CredentialService credentials(control);
    const char* what = kind == sdk::OperatorTokenKind::Admin ? "admin token" : "MCP token";
    if (action == "create") {
        auto issued = credentials.createToken(kind, context.args.required("--name"), "cli");
        if (!issued.ok()) {
            return context.fail(issued.status());
        }
        if (context.json) {
            printJson(context.out, {{"prefix", issued->record.prefix},
                                    {"name", issued->record.name},
                                    {"token", issued->raw}});
        } else {
            context.out << "created " << what << ' ' << issued->record.prefix
                        << "; store it now, it is not shown again:\n"
                        << issued->raw << '\n';
        }
        return 0;
    }
    if (action == "revoke") {
        const std::string& prefix = context.args.word(2, "token prefix");
        if (const sdk::Status status = credentials.revokeToken(prefix, "cli"); !status.ok()) {
            return context.fail(status);
        }
        context.out << "revoked " << what << ' ' << prefix << '\n';
        return 0;
    }
    auto listed = credentials.listTokens(kind);
    if (!listed.ok()) {
        return context.fail(listed.status());
    }
    if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& t : listed.value()) {
            items.push_back({{"prefix", t.prefix},
                             {"name", t.name},
                             {"status", control::credentialStatusName(t.status)},
                             {"created_at", formatTime(t.created_at)}});
        }
        printJson(context.out, items);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : listed.value()) {
        rows.push_back(
            {t.prefix, t.name, control::credentialStatusName(t.status), formatTime(t.created_at)});
    }
    printTable(context.out, {"PREFIX", "NAME", "STATUS", "CREATED"}, rows);
    return 0;
}

}  // namespace sluice::core::cli
