#include "core/billing/wallet_charger.hpp"

#include <algorithm>

#include "core/security/identifiers.hpp"

namespace sluice::core::billing {

namespace {

const sdk::ErrorInfo kWalletEmpty{
    402,
    "insufficient_quota",
    "insufficient_quota",
    "the wallet of this API key has no balance left; ask an administrator to credit it",
    "",
    0,
    ""};

std::int64_t unixMillis(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

/// The route families of this repository that dispatch upstream: their series exist from start,
/// as every series does; another family's appear with its first charge.
constexpr std::array<const char*, 6> kBuiltInSurfaces{"codex",   "openai", "anthropic",
                                                      "backend", "runner", "appserver"};

/// The surface is the route family: the first part of the route id ("anthropic.messages").
std::string surfaceOf(const std::string& route) {
    return route.substr(0, route.find('.'));
}

bool retryable(sdk::StatusCode code) {
    return code == sdk::StatusCode::Unavailable || code == sdk::StatusCode::Internal;
}

}  // namespace

WalletCharger::WalletCharger(sdk::WalletRepository& wallets, ChargeJournal& journal,
                             const sdk::Clock& clock, sdk::Metrics& metrics, sdk::Logger& logger,
                             Options options)
    : wallets_(wallets),
      journal_(journal),
      clock_(clock),
      logger_(logger),
      options_(options),
      metrics_(metrics) {
    for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
        outcomes_[i] = &metrics.counter("sluice_billing_charges_total",
                                        "Settled requests on wallet-linked keys, by outcome",
                                        {{"outcome", std::string(kOutcomes[i])}});
    }
    for (const char* surface : kBuiltInSurfaces) {
        surfaceCounters(surface);
    }
}

WalletCharger::~WalletCharger() {
    stop();
}

void WalletCharger::count(Outcome outcome) noexcept {
    const auto index = static_cast<std::size_t>(outcome);
    if (index < outcomes_.size()) {
        outcomes_[index]->add();
    }
}

void WalletCharger::charge(const accounting::SettledRequest& settled) noexcept {
    const sdk::RequestLogRecord& row = settled.record;
    if (row.account_id.empty()) {
        return;  // refused before any upstream answered: nothing was spent
    }
    const auto wallet = book_.walletOf(row.key_prefix);
    if (!wallet) {
        return;
    }
    const bool used_tokens = row.input_tokens > 0 || row.output_tokens > 0;
    const auto card = book_.cardFor(row.model);
    if (!used_tokens && (!card || card->per_call == 0)) {
        return;  // a free call (a catalog read): no transaction to book
    }
    try {
        UsageRecord record;
        record.idempotency_key =
            settled.trace.response_id.empty() ? row.id : settled.trace.response_id;
        record.wallet_id = *wallet;
        record.key_prefix = row.key_prefix;
        record.model = row.model;
        record.conversation_key = settled.trace.conversation_key;
        record.surface = surfaceOf(row.route);
        record.usage = {row.input_tokens, row.cached_input_tokens, row.output_tokens};
        record.at_ms = unixMillis(clock_.now());
        if (!journal_.append(record)) {
            count(Outcome::JournalFailed);
            logger_.error("charge_journal_failed", {{"key", row.key_prefix}, {"request", row.id}});
            return;
        }
    } catch (const std::exception&) {
        count(Outcome::JournalFailed);
        return;
    }
    wake_.notify_one();
}

std::optional<sdk::ErrorInfo> WalletCharger::refusal(const sdk::Principal& caller) const noexcept {
    if (caller.kind != sdk::CredentialKind::PoolKey) {
        return std::nullopt;
    }
    const auto wallet = book_.walletOf(caller.id);
    if (!wallet) {
        return std::nullopt;
    }
    const auto balance = book_.balanceOf(*wallet);
    if (balance && *balance > 0) {
        return std::nullopt;
    }
    return kWalletEmpty;
}

WalletCharger::Outcome WalletCharger::apply(const UsageRecord& record) {
    const auto card = book_.cardFor(record.model);
    std::uint64_t baseline = 0;
    if (!record.conversation_key.empty()) {
        auto stored = wallets_.conversationBaseline(record.wallet_id, record.conversation_key);
        if (!stored.ok()) {
            return Outcome::Retry;
        }
        baseline = stored.value();
    }
    const PricedUsage priced =
        priceUsage(card.value_or(sdk::RateCardRecord{}), baseline, record.usage);
    sdk::WalletCharge charge;
    charge.transaction_id = security::newRecordId("wtx", clock_.now());
    charge.idempotency_key = record.idempotency_key;
    charge.wallet_id = record.wallet_id;
    charge.key_prefix = record.key_prefix;
    charge.model = record.model;
    charge.rate_card_version = card ? card->version : 0;
    charge.conversation_key = record.conversation_key;
    charge.reported_input_tokens = record.usage.input_tokens;
    charge.input_tokens = priced.input_tokens;
    charge.cached_input_tokens = priced.cached_input_tokens;
    charge.output_tokens = priced.output_tokens;
    charge.cost_micro_usd = priced.cost_micro_usd;
    charge.created_at = sdk::TimePoint(std::chrono::milliseconds(record.at_ms));
    auto booked = wallets_.charge(charge);
    if (booked.ok()) {
        book_.setBalance(record.wallet_id, booked->balance_after);
        SurfaceCounters& surface = surfaceCounters(record.surface);
        surface.charges->add();
        surface.micro_usd->add(
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, priced.cost_micro_usd)));
        return card ? Outcome::Charged : Outcome::Unpriced;
    }
    const sdk::StatusCode code = booked.status().code();
    if (code == sdk::StatusCode::AlreadyExists) {
        return Outcome::Replayed;
    }
    logger_.error("charge_failed", {{"wallet", record.wallet_id},
                                    {"key", record.key_prefix},
                                    {"code", sdk::statusCodeName(code)},
                                    {"reason", booked.status().message()}});
    return retryable(code) ? Outcome::Retry : Outcome::Dropped;
}

WalletCharger::SurfaceCounters& WalletCharger::surfaceCounters(const std::string& surface) {
    const std::string name = surface.empty() ? "unknown" : surface;  // an older journal's line
    auto [entry, added] = surfaces_.try_emplace(name);
    if (added) {
        entry->second.charges = &metrics_.counter(
            "sluice_billing_surface_charges_total",
            "Requests booked to wallets, by the surface that served them", {{"surface", name}});
        entry->second.micro_usd = &metrics_.counter(
            "sluice_billing_charged_micro_usd_total",
            "Micro-USD booked to wallets, by the surface that served them", {{"surface", name}});
    }
    return entry->second;
}

void WalletCharger::applyPending() {
    std::lock_guard lock(apply_mutex_);
    for (auto& record : journal_.readNew()) {
        pending_.push_back(std::move(record));
    }
    while (!pending_.empty()) {
        const Outcome outcome = apply(pending_.front());
        if (outcome == Outcome::Retry) {
            return;  // storage is unavailable: keep the record and the journal for later
        }
        count(outcome);
        pending_.pop_front();
    }
    journal_.compact();
}

sdk::Status WalletCharger::reload() {
    std::lock_guard lock(apply_mutex_);
    return book_.reload(wallets_, options_.username_bearers);
}

void WalletCharger::refresh() noexcept {
    try {
        if (sdk::Status loaded = reload(); !loaded.ok()) {
            logger_.warn("wallet_reload_failed", {{"reason", loaded.message()}});
        }
    } catch (const std::exception& e) {
        logger_.warn("wallet_reload_failed", {{"reason", e.what()}});
    }
}

sdk::Status WalletCharger::recover() {
    if (sdk::Status loaded = reload(); !loaded.ok()) {
        return loaded;
    }
    applyPending();
    if (!pending_.empty()) {
        return {sdk::StatusCode::Unavailable, "journaled charges could not be booked"};
    }
    return reload();
}

void WalletCharger::start() {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable() && !stopping_) {
        thread_ = std::thread([this] { run(); });
    }
}

void WalletCharger::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    applyPending();
}

void WalletCharger::run() {
    auto next_reload = clock_.steadyNow() + options_.reload_interval;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, options_.apply_interval);
        lock.unlock();
        applyPending();
        if (clock_.steadyNow() >= next_reload) {
            refresh();
            next_reload = clock_.steadyNow() + options_.reload_interval;
        }
        lock.lock();
    }
}

}  // namespace sluice::core::billing
