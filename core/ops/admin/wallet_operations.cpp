#include "core/control/wallet_service.hpp"
#include "core/ops/admin/admin_support.hpp"
#include "core/ops/wallet_views.hpp"

namespace sluice::core::ops::admin {

namespace {

const json kCustomer = s::text("customer username", 120);
const json kUsd = s::text("USD as a decimal, at most 6 decimals (e.g. 2.50)", 24);

template <class T, class View>
sdk::Result<json> viewOf(sdk::Result<T> result, View view) {
    if (!result.ok()) {
        return result.status();
    }
    return view(result.value());
}

json rateCardList(const std::vector<sdk::RateCardRecord>& cards) {
    json items = json::array();
    for (const auto& card : cards) {
        items.push_back(views::rateCard(card));
    }
    return json{{"rate_cards", std::move(items)}};
}

void addAdjustment(Operations& operations, const AdminOperationsContext& context, const char* name,
                   sdk::WalletEntryKind kind, const char* description) {
    operations.add({name, kAdmins, true, description,
                    s::params({{"customer", kCustomer},
                               {"amount_usd", kUsd},
                               {"reason", s::text("why (audited)", 500)}},
                              {"customer", "amount_usd", "reason"}),
                    views::walletTransactionSchema(), [context, kind](const OperationCall& call) {
                        return viewOf(
                            control::WalletService(context.control)
                                .adjust(call.params["customer"], kind, call.params["amount_usd"],
                                        call.params["reason"], actorOf(call)),
                            views::walletTransaction);
                    }});
}

}  // namespace

void addWalletAdminOperations(Operations& operations, const AdminOperationsContext& context) {
    operations.add({"customers.list", kOperators, false, "Customers with their wallet and balance",
                    s::params({}),
                    s::shape({{"customers", s::listOf(views::customerSchema())}}, {"customers"}),
                    [context](const OperationCall&) {
                        return viewOf(control::WalletService(context.control).listCustomers(),
                                      [](const std::vector<control::CustomerWallet>& listed) {
                                          json items = json::array();
                                          for (const auto& owner : listed) {
                                              items.push_back(views::customer(owner));
                                          }
                                          return json{{"customers", std::move(items)}};
                                      });
                    }});

    operations.add({"customers.create", kAdmins, true, "A customer with an empty wallet",
                    s::params({{"customer", kCustomer}}, {"customer"}), views::customerSchema(),
                    [context](const OperationCall& call) {
                        return viewOf(control::WalletService(context.control)
                                          .createCustomer(call.params["customer"], actorOf(call)),
                                      views::customer);
                    }});

    operations.add(
        {"wallets.get", kOperators, false, "A customer's wallet with its newest transactions",
         s::params({{"customer", kCustomer}, {"limit", s::integer("transactions", 1, 500)}},
                   {"customer"}),
         s::shape({{"customer", views::customerSchema()},
                   {"transactions", s::listOf(views::walletTransactionSchema())}},
                  {"customer", "transactions"}),
         [context](const OperationCall& call) {
             return viewOf(control::WalletService(context.control)
                               .statement(call.params["customer"],
                                          call.params.value("limit", std::uint32_t{20})),
                           [](const control::WalletStatement& statement) {
                               json items = json::array();
                               for (const auto& entry : statement.transactions) {
                                   items.push_back(views::walletTransaction(entry));
                               }
                               return json{{"customer", views::customer(statement.owner)},
                                           {"transactions", std::move(items)}};
                           });
         }});

    operations.add(
        {"customers.set_username_bearer", kAdmins, true,
         "Let the customer's username act as a bearer on its own account routes' reads (seed "
         "002's compatibility; weaker than a key), or stop it; off by default",
         s::params({{"customer", kCustomer}, {"enabled", s::boolean("on or off")}},
                   {"customer", "enabled"}),
         doneSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             const auto status = control::WalletService(context.control)
                                     .setUsernameBearer(call.params["customer"],
                                                        call.params["enabled"], actorOf(call));
             return status.ok() ? sdk::Result<json>(done()) : status;
         }});

    const auto key_params =
        s::params({{"customer", kCustomer}, {"key", s::text("key prefix (sk-sluice-...)", 64)}},
                  {"customer", "key"});
    operations.add(
        {"wallets.link_key", kAdmins, true, "Charge a Pool key's usage to the customer's wallet",
         key_params, doneSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             const auto status =
                 control::WalletService(context.control)
                     .linkKey(call.params["customer"], call.params["key"], actorOf(call));
             return status.ok() ? sdk::Result<json>(done()) : status;
         }});
    operations.add(
        {"wallets.unlink_key", kAdmins, true, "Stop charging a Pool key to the customer's wallet",
         key_params, doneSchema(), [context](const OperationCall& call) -> sdk::Result<json> {
             const auto status =
                 control::WalletService(context.control)
                     .unlinkKey(call.params["customer"], call.params["key"], actorOf(call));
             return status.ok() ? sdk::Result<json>(done()) : status;
         }});

    addAdjustment(operations, context, "wallets.credit", sdk::WalletEntryKind::Credit,
                  "Add USD to a customer's wallet");
    addAdjustment(operations, context, "wallets.debit", sdk::WalletEntryKind::Debit,
                  "Take USD from a customer's wallet; never below 0");

    operations.add({"rate_cards.list", kOperators, false, "Every version of every model's prices",
                    s::params({}),
                    s::shape({{"rate_cards", s::listOf(views::rateCardSchema())}}, {"rate_cards"}),
                    [context](const OperationCall&) {
                        return viewOf(control::WalletService(context.control).listRateCards(),
                                      rateCardList);
                    }});

    operations.add(
        {"rate_cards.set", kAdmins, true,
         "A model's next prices in USD: per million input, cached input and output tokens, and "
         "per call",
         s::params({{"model", s::text("model, or * for models without their own card", 128)},
                    {"input_per_million_usd", kUsd},
                    {"cached_input_per_million_usd", kUsd},
                    {"output_per_million_usd", kUsd},
                    {"per_call_usd", kUsd}},
                   {"model", "input_per_million_usd", "cached_input_per_million_usd",
                    "output_per_million_usd"}),
         views::rateCardSchema(), [context](const OperationCall& call) {
             const control::RateCardPrices prices{
                 call.params["input_per_million_usd"], call.params["cached_input_per_million_usd"],
                 call.params["output_per_million_usd"], call.params.value("per_call_usd", "0")};
             return viewOf(control::WalletService(context.control)
                               .setRateCard(call.params["model"], prices, actorOf(call)),
                           views::rateCard);
         }});

    operations.add(
        {"rate_cards.adjust_percent", kAdmins, true,
         "Every model's next prices: each price of its card changed by a signed percent, "
         "price x (100 + percent) / 100 rounded to the nearest micro-USD (halves up)",
         s::params({{"percent", s::text("signed percent, at most 2 decimals, -100 to 1000 "
                                        "(e.g. 10 or -12.5)",
                                        16)}},
                   {"percent"}),
         s::shape({{"rate_cards", s::listOf(views::rateCardSchema())}}, {"rate_cards"}),
         [context](const OperationCall& call) {
             return viewOf(control::WalletService(context.control)
                               .adjustRateCards(call.params["percent"], actorOf(call)),
                           rateCardList);
         }});
}

}  // namespace sluice::core::ops::admin
