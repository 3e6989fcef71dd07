#include "core/ops/wallet_views.hpp"

#include "core/billing/money.hpp"
#include "core/control/wallet_service.hpp"
#include "core/ops/schema.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops::views {

using json = nlohmann::json;
namespace s = schema;

json customer(const control::CustomerWallet& owner) {
    return {{"id", owner.customer.id},
            {"username", owner.customer.username},
            {"wallet", owner.wallet.id},
            {"balance_usd", billing::formatUsd(owner.wallet.balance_micro_usd)},
            {"created_at", time(owner.customer.created_at)}};
}

json customerSchema() {
    return s::shape({{"id", s::text("cus_...")},
                     {"username", s::text("unique")},
                     {"wallet", s::text("wal_...: the wallet its linked keys spend from")},
                     {"balance_usd", s::text("exact decimal USD")},
                     {"created_at", timeSchema("when it was made")}},
                    {"id", "username", "wallet", "balance_usd", "created_at"});
}

json walletTransaction(const sdk::WalletTransactionRecord& entry) {
    json view = {{"id", entry.id},
                 {"kind", sdk::walletEntryKindName(entry.kind)},
                 {"amount_usd", billing::formatUsd(entry.amount_micro_usd)},
                 {"balance_after_usd", billing::formatUsd(entry.balance_after)},
                 {"created_at", time(entry.created_at)}};
    if (entry.kind == sdk::WalletEntryKind::Charge) {
        view["cost_usd"] = billing::formatUsd(entry.cost_micro_usd);
        view["key"] = entry.key_prefix;
        view["model"] = entry.model;
        view["input_tokens"] = entry.input_tokens;
        view["cached_input_tokens"] = entry.cached_input_tokens;
        view["output_tokens"] = entry.output_tokens;
    } else {
        view["reason"] = entry.reason;
    }
    return view;
}

json walletTransactionSchema() {
    return s::shape({{"id", s::text("wtx_...")},
                     {"kind", s::oneOf("what moved the balance", {"charge", "credit", "debit"})},
                     {"amount_usd", s::text("signed change of the balance")},
                     {"balance_after_usd", s::text("the balance it left")},
                     {"cost_usd", s::text("charges: the usage's price (more when it drained)")},
                     {"key", s::text("charges: the Pool key that spent")},
                     {"model", s::text("charges: the model")},
                     {"input_tokens", s::integer("charged new input tokens")},
                     {"cached_input_tokens", s::integer("charged cached input tokens")},
                     {"output_tokens", s::integer("charged output tokens")},
                     {"reason", s::text("credits and debits: why")},
                     {"created_at", timeSchema("when it was made")}},
                    {"id", "kind", "amount_usd", "balance_after_usd", "created_at"});
}

json rateCard(const sdk::RateCardRecord& card) {
    return {{"model", card.model},
            {"version", card.version},
            {"input_per_million_usd", billing::formatUsd(card.input_per_million)},
            {"cached_input_per_million_usd", billing::formatUsd(card.cached_input_per_million)},
            {"output_per_million_usd", billing::formatUsd(card.output_per_million)},
            {"per_call_usd", billing::formatUsd(card.per_call)},
            {"created_at", time(card.created_at)}};
}

json rateCardSchema() {
    return s::shape({{"model", s::text("model, or * for models without their own card")},
                     {"version", s::integer("1, 2, ... per model; charges name it")},
                     {"input_per_million_usd", s::text("per million new input tokens")},
                     {"cached_input_per_million_usd", s::text("per million cached input tokens")},
                     {"output_per_million_usd", s::text("per million output tokens")},
                     {"per_call_usd", s::text("added to every charged request")},
                     {"created_at", timeSchema("when it was made")}},
                    {"model", "version", "input_per_million_usd", "cached_input_per_million_usd",
                     "output_per_million_usd", "per_call_usd", "created_at"});
}

}  // namespace sluice::core::ops::views
