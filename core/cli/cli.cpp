#include "core/cli/cli.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include "core/cli/commands.hpp"
#include "core/runtime/runtime.hpp"

namespace sluice::core::cli {

namespace {

constexpr const char* kUsage = R"(usage: sluice <command> [options]

Commands:
  serve                                  run the gateway
  validate                               check the pipeline; print the effective config
  plugins list | describe NAME           installed factories and their config schemas
  plugins describe --markdown            the configuration reference (docs/configuration.md)
  pool create --name N [--strategy S] [--ring-size K] | list | delete NAME
  account import --pool P --auth-json FILE [--label L] [--labels k=v,...] | list [--pool P]
  account login --pool P [--label L] [--labels k=v,...]  add an account by ChatGPT device sign-in
  account pause | resume | delete ID
  key create --pool P --name N [--gateway-url URL]   prints the key and a Codex CLI config
  key list [--pool P] | rotate | revoke | pause | resume PREFIX
  key policy PREFIX --set JSON           per-key limits ({} removes them; see docs/operations.md)
  customer create USERNAME | list        billing customers, each with one wallet
  customer username-bearer USERNAME on|off  the username also reads its own /api/v1 routes
                                         (seed 002 compatibility; weaker than a key)
  wallet show CUSTOMER [--limit N]       balance and newest transactions
  wallet credit | debit CUSTOMER USD --reason R    e.g. 25 or 0.50; a debit never goes below 0
  wallet link | unlink CUSTOMER PREFIX   charge a Pool key's usage to the customer's wallet
  rate-card set MODEL --input USD --cached-input USD --output USD [--per-call USD] | list
                                         prices per million tokens; MODEL * for all others
  rate-card adjust-percent PERCENT       a new version of every model's card, each price
                                         x (100 + PERCENT) / 100, e.g. 10 or -12.5 (2 decimals,
                                         -100 to 1000), rounded to the nearest micro-USD, halves up
  route explain --pool P [--model M] [--session S]   dry-run routing: exclusions and order
  storage migrate --from CONFIG --to CONFIG [--replace-target]
                                         copy every stored row from one pipeline's storage to
                                         another's (e.g. SQLite to PostgreSQL) and compare row
                                         counts and checksums per table
  admin-token create --name N | list | revoke PREFIX
  mcp-token create --name N | list | revoke PREFIX
  repl URL [--key K] [--secure-token T]  interactive client of the Codex runner (docs/runner.md);
                                         the key defaults to $SLUICE_API_KEY

Options for every command:
  --config FILE   the pipeline (default: $SLUICE_CONFIG, else config/sluice.yaml)
  --json          machine-readable output
  --verbose       also log info lines (commands other than serve log warnings and errors only)
)";

std::filesystem::path executablePath(const char* argv0) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        return self;
    }
    return std::filesystem::absolute(argv0);
}

std::filesystem::path configPath(const Arguments& args) {
    if (auto given = args.option("--config")) {
        return *given;
    }
    if (const char* env = std::getenv("SLUICE_CONFIG");
        env != nullptr && *env != '\0') {  // NOLINT(concurrency-mt-unsafe)
        return env;
    }
    return "config/sluice.yaml";
}

// `serve` logs what the pipeline asks for; a one-shot command prints its own output, so the
// plugins' info lines (storage opened, migrated) would only bury it.
sdk::LogLevel minLogLevel(const Arguments& args) {
    if (args.words().front() == "serve" || args.flag("--verbose")) {
        return sdk::LogLevel::Debug;
    }
    return sdk::LogLevel::Warning;
}

}  // namespace

int runCli(int argc, const char* const* argv) {
    try {
        const Arguments args(argc, argv);
        if (args.words().empty() || args.flag("--help") || args.words().front() == "help") {
            std::cout << kUsage;
            return args.words().empty() && !args.flag("--help") ? 2 : 0;
        }
        CommandContext context{args,
                               std::cout,
                               std::cerr,
                               executablePath(argv[0]),
                               configPath(args),
                               args.flag("--json"),
                               minLogLevel(args)};
        const std::string& command = args.words().front();
        if (command == "serve") {
            return serveCommand(context);
        }
        if (command == "validate") {
            return validateCommand(context);
        }
        if (command == "plugins") {
            return pluginsCommand(context);
        }
        if (command == "pool") {
            return poolCommand(context);
        }
        if (command == "account") {
            return accountCommand(context);
        }
        if (command == "key") {
            return keyCommand(context);
        }
        if (command == "customer") {
            return customerCommand(context);
        }
        if (command == "wallet") {
            return walletCommand(context);
        }
        if (command == "rate-card") {
            return rateCardCommand(context);
        }
        if (command == "route") {
            return routeCommand(context);
        }
        if (command == "storage") {
            return storageCommand(context);
        }
        if (command == "admin-token") {
            return tokenCommand(context, sdk::OperatorTokenKind::Admin);
        }
        if (command == "mcp-token") {
            return tokenCommand(context, sdk::OperatorTokenKind::Mcp);
        }
        if (command == "repl") {
            return replCommand(context);
        }
        throw UsageError("unknown command '" + command + "'");
    } catch (const UsageError& e) {
        std::cerr << "error: " << e.what() << "\n\n" << kUsage;
        return 2;
    } catch (const runtime::StartupError& e) {
        for (const auto& issue : e.issues()) {
            std::cerr << "error: " << issue.describe() << '\n';
        }
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace sluice::core::cli
