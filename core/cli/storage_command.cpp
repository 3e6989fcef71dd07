#include <map>

#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/control/storage_copy.hpp"
#include "core/security/secret_box.hpp"

namespace sluice::core::cli {

namespace {

std::map<std::uint32_t, std::string> decodedKeys(const config::SecretSettings& secrets) {
    std::map<std::uint32_t, std::string> keys;
    keys[secrets.key_version] = security::SecretBox::decodeKey(secrets.key).value_or("");
    for (const auto& retired : secrets.retired_keys) {
        keys[retired.version] = security::SecretBox::decodeKey(retired.key).value_or("");
    }
    return keys;
}

/// Credentials are copied as ciphertext, so the target's pipeline must hold every key the
/// source's can decrypt with, under the same version. Names versions, never keys.
sdk::Status checkSameKeys(const config::Pipeline& from, const config::Pipeline& to) {
    const auto target = decodedKeys(to.secrets);
    for (const auto& [version, key] : decodedKeys(from.secrets)) {
        if (key.empty()) {
            continue;
        }
        const auto found = target.find(version);
        if (found == target.end() || found->second != key) {
            return {sdk::StatusCode::FailedPrecondition,
                    "the --to pipeline's secrets do not hold key version " +
                        std::to_string(version) +
                        " of the --from pipeline: copied credentials could not be decrypted "
                        "there (give it the same secrets.key, or list it in "
                        "secrets.retired_keys)"};
        }
    }
    return sdk::Status::success();
}

sdk::StorageTransfer* transferOf(runtime::Runtime& runtime) {
    return dynamic_cast<sdk::StorageTransfer*>(&runtime.storage());
}

std::string shortSum(const control::TableTally& tally) {
    return tally.checksum.empty() ? "-" : tally.checksum.substr(0, 16);
}

nlohmann::json tallyJson(const control::TableTally& tally) {
    return {{"rows", tally.rows}, {"checksum", tally.checksum}};
}

void printReport(const CommandContext& context, const control::CopyReport& report) {
    if (context.json) {
        nlohmann::json tables = nlohmann::json::array();
        for (const auto& table : report.tables) {
            tables.push_back({{"table", table.table},
                              {"from", tallyJson(table.source)},
                              {"to", tallyJson(table.target)},
                              {"matches", table.matches()}});
        }
        printJson(context.out,
                  {{"tables", tables}, {"rows", report.rows}, {"matches", report.matches()}});
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& table : report.tables) {
        rows.push_back({table.table, std::to_string(table.source.rows), shortSum(table.source),
                        std::to_string(table.target.rows), shortSum(table.target),
                        table.matches() ? "ok" : "DIFFERS"});
    }
    printTable(context.out, {"TABLE", "FROM ROWS", "FROM SHA-256", "TO ROWS", "TO SHA-256", ""},
               rows);
}

}  // namespace

/// `sluice storage migrate --from CONFIG --to CONFIG [--replace-target]`: copies every row of
/// one pipeline's storage into another's and proves the copy by row counts and checksums.
int storageCommand(CommandContext& context) {
    const std::string& action = context.args.word(1, "action (migrate)");
    if (action != "migrate") {
        throw UsageError("unknown storage action '" + action + "'");
    }
    context.args.expect({"--config", "--json", "--from", "--to", "--replace-target"}, 2);
    const std::string from = context.args.required("--from");
    const std::string to = context.args.required("--to");
    const auto source = context.openRuntime(from);
    const auto target = context.openRuntime(to);
    if (sdk::Status keys = checkSameKeys(source->pipeline(), target->pipeline()); !keys.ok()) {
        return context.fail(keys);
    }
    sdk::StorageTransfer* source_rows = transferOf(*source);
    sdk::StorageTransfer* target_rows = transferOf(*target);
    for (const auto& [rows, runtime, flag] : {std::tuple{source_rows, source.get(), "--from"},
                                              std::tuple{target_rows, target.get(), "--to"}}) {
        if (rows == nullptr) {
            return context.fail(
                {sdk::StatusCode::FailedPrecondition, std::string("the ") + flag + " storage '" +
                                                          runtime->pipeline().storage.type +
                                                          "' cannot export or import its rows"});
        }
    }
    const auto report =
        control::copyStorage(*source_rows, *target_rows, context.args.flag("--replace-target"));
    if (!report.ok()) {
        return context.fail(
            {report.status().code(),
             "storage migrate failed, the target is as it was: " + report.status().message()});
    }
    printReport(context, report.value());
    if (!report->matches()) {
        std::string differing;
        for (const auto& table : report->tables) {
            differing += table.matches() ? "" : (differing.empty() ? "" : ", ") + table.table;
        }
        context.err << "error: the copy in the " << target->pipeline().storage.type
                    << " storage differs from the source in " << differing << '\n';
        return 1;
    }
    if (!context.json) {
        context.out << "copied " << report->rows << " rows in " << report->tables.size()
                    << " tables from " << source->pipeline().storage.type << " to "
                    << target->pipeline().storage.type
                    << "; every row count and checksum matches\n";
    }
    return 0;
}

}  // namespace sluice::core::cli
