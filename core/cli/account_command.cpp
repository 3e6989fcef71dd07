#include <fstream>
#include <sstream>

#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/control/account_service.hpp"
#include "core/lifecycle/sign_in_desk.hpp"

namespace sluice::core::cli {

namespace {

// Metadata only: never a token, not even encrypted.
nlohmann::json accountJson(const sdk::AccountRecord& account) {
    return {{"id", account.id},
            {"pool", account.pool},
            {"label", account.label},
            {"chatgpt_account_id", account.chatgpt_account_id},
            {"plan_type", account.plan_type},
            {"labels",
             [&] {
                 nlohmann::json labels = nlohmann::json::object();
                 for (const auto& [key, value] : account.labels) {
                     labels[key] = value;
                 }
                 return labels;
             }()},
            {"status", control::accountStatusName(account.status)},
            {"status_reason", account.status_reason},
            {"access_expires_at", formatTime(account.access_expires_at)},
            {"created_at", formatTime(account.created_at)}};
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UsageError("cannot read " + path);
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

sdk::Labels labelsOption(const CommandContext& context) {
    const auto labels = control::parseLabels(context.args.option("--labels").value_or(""));
    if (!labels) {
        throw UsageError("--labels takes key=value pairs separated by commas");
    }
    return *labels;
}

// Runs the device sign-in in this process: the code goes to the operator at once, the account
// is stored (as `cli`) once the user approved it in a browser.
int login(CommandContext& context, runtime::Runtime& runtime, control::ControlContext& control) {
    const config::Pipeline& pipeline = runtime.pipeline();
    lifecycle::SignInDesk desk(
        control, runtime.host().httpClient(),
        lifecycle::DeviceSignInEndpoints::from(pipeline.upstream, pipeline.accounts),
        runtime.host().clock(), runtime.host().logger("sign_in"));
    const std::string pool = context.args.required("--pool");
    auto started = desk.begin({pool, context.args.option("--label"), labelsOption(context), "cli"});
    if (!started.ok()) {
        return context.fail(started.status());
    }
    // With --json the instructions go to standard error: standard output is the account alone.
    std::ostream& prompt = context.json ? context.err : context.out;
    prompt << "Sign in to ChatGPT at " << started->verification_url << " and enter the code "
           << started->user_code << " (it expires at " << formatTime(started->expires_at)
           << ").\nWaiting for the approval...\n"
           << std::flush;
    auto finished = desk.waitFinished(started->id);
    if (!finished.ok()) {
        return context.fail(finished.status());
    }
    if (!finished->account) {
        return context.fail({sdk::StatusCode::FailedPrecondition,
                             finished->error_code + ": " + finished->error_message});
    }
    const sdk::AccountRecord& account = *finished->account;
    if (context.json) {
        printJson(context.out, accountJson(account));
    } else {
        context.out << "signed in account " << account.label << " (" << account.id << ", plan "
                    << account.plan_type << ") into pool " << pool << '\n';
    }
    return 0;
}

}  // namespace

/// `sluice account import --pool P --auth-json FILE [--label L]`, `account login --pool P
/// [--label L]`, `account list [--pool P]`, `account pause|resume|delete ID`.
int accountCommand(CommandContext& context) {
    const std::string& action =
        context.args.word(1, "action (import, login, list, pause, resume or delete)");
    if (action == "import") {
        context.args.expect({"--config", "--json", "--pool", "--auth-json", "--label", "--labels"},
                            2);
    } else if (action == "login") {
        context.args.expect({"--config", "--json", "--pool", "--label", "--labels"}, 2);
    } else if (action == "list") {
        context.args.expect({"--config", "--json", "--pool"}, 2);
    } else if (action == "pause" || action == "resume" || action == "delete") {
        context.args.expect({"--config", "--json"}, 3);
    } else {
        throw UsageError("unknown account action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::AccountService accounts(control);
    if (action == "login") {
        return login(context, *runtime, control);
    }
    if (action == "import") {
        const std::string pool = context.args.required("--pool");
        const std::string auth_json = readFile(context.args.required("--auth-json"));
        auto imported = accounts.importAuthJson(pool, auth_json, context.args.option("--label"),
                                                labelsOption(context), "cli");
        if (!imported.ok()) {
            return context.fail(imported.status());
        }
        if (context.json) {
            printJson(context.out, accountJson(imported.value()));
        } else {
            context.out << "imported account " << imported->label << " (" << imported->id
                        << ", plan " << imported->plan_type << ") into pool " << pool << '\n';
        }
        return 0;
    }
    if (action != "list") {
        const std::string& id = context.args.word(2, "account id");
        const sdk::Status status = action == "delete"
                                       ? accounts.remove(id, "cli")
                                       : accounts.setPaused(id, action == "pause", "cli");
        if (!status.ok()) {
            return context.fail(status);
        }
        context.out << action << "d account " << id << '\n';
        return 0;
    }
    auto listed = accounts.list(context.args.option("--pool"));
    if (!listed.ok()) {
        return context.fail(listed.status());
    }
    if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& account : listed.value()) {
            items.push_back(accountJson(account));
        }
        printJson(context.out, items);
        return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : listed.value()) {
        rows.push_back({a.id, a.label, a.pool, a.plan_type, control::accountStatusName(a.status),
                        formatTime(a.access_expires_at)});
    }
    printTable(context.out, {"ID", "LABEL", "POOL", "PLAN", "STATUS", "TOKEN EXPIRES"}, rows);
    return 0;
}

}  // namespace sluice::core::cli
