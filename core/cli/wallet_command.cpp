#include "core/billing/money.hpp"
#include "core/cli/commands.hpp"
#include "core/cli/output.hpp"
#include "core/control/wallet_service.hpp"
#include "core/ops/wallet_views.hpp"

namespace sluice::core::cli {

namespace {

std::vector<std::string> customerRow(const control::CustomerWallet& owner) {
    return {owner.customer.username, owner.customer.id, owner.wallet.id,
            billing::formatUsd(owner.wallet.balance_micro_usd),
            formatTime(owner.customer.created_at)};
}

const std::vector<std::string> kCustomerHeader{"CUSTOMER", "ID", "WALLET", "BALANCE USD",
                                               "CREATED"};

std::uint32_t limitOption(const Arguments& args) {
    const std::string text = args.option("--limit").value_or("20");
    if (text.empty() || text.size() > 3 ||
        text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1 ||
        std::stoi(text) > 500) {
        throw UsageError("--limit must be a number from 1 to 500, got '" + text + "'");
    }
    return static_cast<std::uint32_t>(std::stoi(text));
}

int showWallet(CommandContext& context, control::WalletService& wallets) {
    auto statement = wallets.statement(context.args.word(2, "customer"), limitOption(context.args));
    if (!statement.ok()) {
        return context.fail(statement.status());
    }
    if (context.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& entry : statement->transactions) {
            items.push_back(ops::views::walletTransaction(entry));
        }
        printJson(context.out, {{"customer", ops::views::customer(statement->owner)},
                                {"transactions", std::move(items)}});
        return 0;
    }
    printTable(context.out, kCustomerHeader, {customerRow(statement->owner)});
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : statement->transactions) {
        rows.push_back({formatTime(e.created_at), sdk::walletEntryKindName(e.kind),
                        billing::formatUsd(e.amount_micro_usd), billing::formatUsd(e.balance_after),
                        e.key_prefix, e.model, e.reason});
    }
    context.out << '\n';
    printTable(context.out, {"TIME", "KIND", "AMOUNT USD", "BALANCE USD", "KEY", "MODEL", "REASON"},
               rows);
    return 0;
}

void printRateCards(CommandContext& context, const std::vector<sdk::RateCardRecord>& cards) {
    nlohmann::json items = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : cards) {
        items.push_back(ops::views::rateCard(c));
        rows.push_back({c.model, std::to_string(c.version), billing::formatUsd(c.input_per_million),
                        billing::formatUsd(c.cached_input_per_million),
                        billing::formatUsd(c.output_per_million), billing::formatUsd(c.per_call),
                        formatTime(c.created_at)});
    }
    if (context.json) {
        printJson(context.out, items);
    } else {
        printTable(context.out,
                   {"MODEL", "VERSION", "INPUT/M USD", "CACHED/M USD", "OUTPUT/M USD",
                    "PER CALL USD", "CREATED"},
                   rows);
    }
}

}  // namespace

/// `sluice customer create USERNAME | list | username-bearer USERNAME on|off`.
int customerCommand(CommandContext& context) {
    const std::string& action = context.args.word(1, "action (create, list or username-bearer)");
    if (action != "create" && action != "list" && action != "username-bearer") {
        throw UsageError("unknown customer action '" + action + "'");
    }
    const bool bearer = action == "username-bearer";
    context.args.expect({"--config", "--json"}, bearer ? 4 : action == "create" ? 3 : 2);
    const std::string setting = bearer ? context.args.word(3, "on or off") : "";
    if (bearer && setting != "on" && setting != "off") {
        throw UsageError("username-bearer takes on or off, not '" + setting + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::WalletService wallets(control);
    if (bearer) {
        const std::string& username = context.args.word(2, "username");
        const sdk::Status status = wallets.setUsernameBearer(username, setting == "on", "cli");
        if (!status.ok()) {
            return context.fail(status);
        }
        context.out << "username bearer " << setting << " for " << username << '\n';
        return 0;
    }
    if (action == "create") {
        auto created = wallets.createCustomer(context.args.word(2, "username"), "cli");
        if (!created.ok()) {
            return context.fail(created.status());
        }
        if (context.json) {
            printJson(context.out, ops::views::customer(created.value()));
        } else {
            context.out << "created customer " << created->customer.username << " with wallet "
                        << created->wallet.id << '\n';
        }
        return 0;
    }
    auto listed = wallets.listCustomers();
    if (!listed.ok()) {
        return context.fail(listed.status());
    }
    nlohmann::json items = nlohmann::json::array();
    std::vector<std::vector<std::string>> rows;
    for (const auto& owner : listed.value()) {
        items.push_back(ops::views::customer(owner));
        rows.push_back(customerRow(owner));
    }
    if (context.json) {
        printJson(context.out, items);
    } else {
        printTable(context.out, kCustomerHeader, rows);
    }
    return 0;
}

/// `sluice wallet show CUSTOMER [--limit N] | credit|debit CUSTOMER USD --reason R |
/// link|unlink CUSTOMER KEY_PREFIX`.
int walletCommand(CommandContext& context) {
    const std::string& action =
        context.args.word(1, "action (show, credit, debit, link or unlink)");
    if (action == "show") {
        context.args.expect({"--config", "--json", "--limit"}, 3);
    } else if (action == "credit" || action == "debit") {
        context.args.expect({"--config", "--json", "--reason"}, 4);
    } else if (action == "link" || action == "unlink") {
        context.args.expect({"--config", "--json"}, 4);
    } else {
        throw UsageError("unknown wallet action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::WalletService wallets(control);
    if (action == "show") {
        return showWallet(context, wallets);
    }
    const std::string& customer = context.args.word(2, "customer");
    if (action == "link" || action == "unlink") {
        const std::string& prefix = context.args.word(3, "key prefix");
        const sdk::Status status = action == "link" ? wallets.linkKey(customer, prefix, "cli")
                                                    : wallets.unlinkKey(customer, prefix, "cli");
        if (!status.ok()) {
            return context.fail(status);
        }
        context.out << (action == "link" ? "linked key " : "unlinked key ") << prefix
                    << (action == "link" ? " to " : " from ") << customer << "'s wallet\n";
        return 0;
    }
    const auto kind =
        action == "credit" ? sdk::WalletEntryKind::Credit : sdk::WalletEntryKind::Debit;
    auto booked = wallets.adjust(customer, kind, context.args.word(3, "amount in USD"),
                                 context.args.required("--reason"), "cli");
    if (!booked.ok()) {
        return context.fail(booked.status());
    }
    if (context.json) {
        printJson(context.out, ops::views::walletTransaction(booked.value()));
    } else {
        context.out << (action == "credit" ? "credited " : "debited ") << customer << ' '
                    << billing::formatUsd(booked->amount_micro_usd) << " USD; balance "
                    << billing::formatUsd(booked->balance_after) << " USD\n";
    }
    return 0;
}

/// `sluice rate-card set MODEL --input USD --cached-input USD --output USD [--per-call USD] |
/// adjust-percent PERCENT | list`. Prices are per million tokens; MODEL "*" prices models
/// without a card of their own; adjust-percent writes a new version of every model's card.
int rateCardCommand(CommandContext& context) {
    const std::string& action = context.args.word(1, "action (set, adjust-percent or list)");
    if (action == "set") {
        context.args.expect(
            {"--config", "--json", "--input", "--cached-input", "--output", "--per-call"}, 3);
    } else if (action == "adjust-percent") {
        context.args.expect({"--config", "--json"}, 3);
    } else if (action == "list") {
        context.args.expect({"--config", "--json"}, 2);
    } else {
        throw UsageError("unknown rate-card action '" + action + "'");
    }
    auto runtime = context.openRuntime();
    auto control = context.controlFor(*runtime);
    control::WalletService wallets(control);
    if (action == "set") {
        const control::RateCardPrices prices{
            context.args.required("--input"), context.args.required("--cached-input"),
            context.args.required("--output"), context.args.option("--per-call").value_or("0")};
        auto card = wallets.setRateCard(context.args.word(2, "model"), prices, "cli");
        if (!card.ok()) {
            return context.fail(card.status());
        }
        if (context.json) {
            printJson(context.out, ops::views::rateCard(card.value()));
        } else {
            context.out << "rate card " << card->model << " version " << card->version << '\n';
        }
        return 0;
    }
    auto cards = action == "adjust-percent"
                     ? wallets.adjustRateCards(context.args.word(2, "percent"), "cli")
                     : wallets.listRateCards();
    if (!cards.ok()) {
        return context.fail(cards.status());
    }
    printRateCards(context, cards.value());
    return 0;
}

}  // namespace sluice::core::cli
