#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/accounting/request_ledger.hpp"
#include "core/admission/spend_gate.hpp"
#include "core/billing/charge_journal.hpp"
#include "core/billing/wallet_book.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::core::billing {

/// Charges wallets for what their linked keys spend (ADR 0008). On the request thread it only
/// reads memory and journals usage; one applier thread prices the journal against the rate
/// cards, books each record once by its idempotency key and keeps the in-memory balances the
/// preflight reads. Thread-safe.
class WalletCharger final : public accounting::SettledCharges, public admission::SpendGate {
public:
    struct Options {
        std::chrono::milliseconds apply_interval{200};    ///< longest a charge waits to be booked
        std::chrono::milliseconds reload_interval{5000};  ///< links, balances, cards from storage
        /// When set, the book also knows the customers whose username acts as a bearer.
        sdk::CustomerBearerRepository* username_bearers = nullptr;
    };

    /// Borrows everything; all of it outlives the charger.
    WalletCharger(sdk::WalletRepository& wallets, ChargeJournal& journal, const sdk::Clock& clock,
                  sdk::Metrics& metrics, sdk::Logger& logger, Options options);
    ~WalletCharger() override;
    WalletCharger(const WalletCharger&) = delete;
    WalletCharger& operator=(const WalletCharger&) = delete;

    /// Request thread: journals the usage of a request on a wallet-linked key that reached an
    /// upstream. Unlinked keys are never charged.
    void charge(const accounting::SettledRequest& settled) noexcept override;
    /// Request thread: 402 `insufficient_quota` for a linked key whose wallet is at 0 or below.
    std::optional<sdk::ErrorInfo> refusal(const sdk::Principal& caller) const noexcept override;

    /// Startup, before requests: loads the book and books what a previous run journaled but
    /// had not applied. Fails when storage cannot be read.
    sdk::Status recover();
    /// Starts the applier thread; stop() books what is journaled, then joins it.
    void start();
    void stop();
    /// Books everything journaled so far (the applier's round; also tests and drain).
    void applyPending();
    /// Reloads links, balances and cards from storage. Serialised with the applier, so a balance
    /// it books is never replaced by an older read.
    sdk::Status reload();
    /// reload(), a failure logged (the next round tries again): the applier's interval, and an
    /// operator's change in this process, which the preflight then sees at once. Any thread.
    void refresh() noexcept;

    const WalletBook& book() const noexcept { return book_; }

private:
    /// What became of a journaled record; all but Retry are counted, named by kOutcomes.
    enum class Outcome { Charged, Replayed, Unpriced, Dropped, JournalFailed, Retry };
    static constexpr std::array<std::string_view, 5> kOutcomes{"charged", "replayed", "unpriced",
                                                               "dropped", "journal_failed"};

    void run();
    Outcome apply(const UsageRecord& record);
    void count(Outcome outcome) noexcept;
    /// What was booked for one surface, counted by the applier (under apply_mutex_).
    struct SurfaceCounters {
        sdk::Counter* charges = nullptr;
        sdk::Counter* micro_usd = nullptr;
    };
    SurfaceCounters& surfaceCounters(const std::string& surface);

    sdk::WalletRepository& wallets_;
    ChargeJournal& journal_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
    Options options_;
    WalletBook book_;
    sdk::Metrics& metrics_;
    std::array<sdk::Counter*, kOutcomes.size()> outcomes_{};
    std::map<std::string, SurfaceCounters> surfaces_;  ///< guarded by apply_mutex_

    std::mutex apply_mutex_;           ///< one applier at a time
    std::deque<UsageRecord> pending_;  ///< read from the journal, not yet booked

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::core::billing
