#pragma once

#include <filesystem>
#include <memory>
#include <ostream>

#include "core/cli/arguments.hpp"
#include "core/control/control_context.hpp"
#include "core/runtime/runtime.hpp"

namespace sluice::core::cli {

/// What every command gets. Commands return the process exit code: 0 success, 1 failure
/// (validation or operation), 2 usage.
struct CommandContext {
    const Arguments& args;
    std::ostream& out;
    std::ostream& err;
    std::filesystem::path executable;
    std::filesystem::path config;
    bool json = false;
    /// The quietest log level the runtime writes (see RuntimeOptions::min_log_level).
    sdk::LogLevel min_log_level = sdk::LogLevel::Debug;

    /// Loads the pipeline and opens storage; a StartupError lists every problem.
    std::unique_ptr<runtime::Runtime> openRuntime() const;
    /// The same for another pipeline file than `config`.
    std::unique_ptr<runtime::Runtime> openRuntime(const std::filesystem::path& pipeline) const;
    /// Operator services over an open runtime, acting as `cli`.
    control::ControlContext controlFor(runtime::Runtime& runtime) const;
    /// Prints a failed status and returns 1.
    int fail(const sdk::Status& status) const;
};

int serveCommand(CommandContext& context);
int validateCommand(CommandContext& context);
int pluginsCommand(CommandContext& context);
int poolCommand(CommandContext& context);
int accountCommand(CommandContext& context);
int keyCommand(CommandContext& context);
/// Billing (issue 17): `customer`, `wallet` and `rate-card` (core/cli/wallet_command.cpp).
int customerCommand(CommandContext& context);
int walletCommand(CommandContext& context);
int rateCardCommand(CommandContext& context);
int routeCommand(CommandContext& context);
/// `sluice storage migrate --from CONFIG --to CONFIG`: copies an install between backends.
int storageCommand(CommandContext& context);
int tokenCommand(CommandContext& context, sdk::OperatorTokenKind kind);
/// `sluice repl URL`: an interactive client of the Codex runner (plugins/route-runner).
int replCommand(CommandContext& context);

}  // namespace sluice::core::cli
