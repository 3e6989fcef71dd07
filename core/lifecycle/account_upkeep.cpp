#include "core/lifecycle/account_upkeep.hpp"

namespace sluice::core::lifecycle {

AccountUpkeep::AccountUpkeep(TokenRefresher& refresher, UsageProber& prober,
                             const runtime::Directory& directory,
                             const routing::RoutingTable& routing, const sdk::Clock& clock,
                             std::chrono::milliseconds tick, std::size_t workers)
    : refresher_(refresher),
      prober_(prober),
      directory_(directory),
      routing_(routing),
      clock_(clock),
      tick_(tick),
      worker_count_(workers) {}

AccountUpkeep::~AccountUpkeep() {
    stop();
}

void AccountUpkeep::start() {
    for (std::size_t i = 0; i < worker_count_; ++i) {
        workers_.emplace_back([this] { work(); });
    }
    scheduler_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, tick_, [this] { return stopping_; })) {
            lock.unlock();
            schedule();
            lock.lock();
        }
    });
}

void AccountUpkeep::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !scheduler_.joinable()) {
            return;
        }
        stopping_ = true;
        jobs_.clear();  // a renewal's waiters see a broken promise
        renewals_.clear();
    }
    wake_.notify_all();
    if (scheduler_.joinable()) {
        scheduler_.join();
    }
    for (auto& worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    workers_.clear();
}

void AccountUpkeep::schedule() {
    const sdk::TimePoint now = clock_.now();
    // Held for the whole loop: a range-for over a temporary's member does not keep the
    // temporary, and the directory's refresher may drop the snapshot meanwhile.
    const runtime::DirectorySnapshotPtr directory = directory_.snapshot();
    for (const sdk::AccountRecord& account : directory->accounts) {
        if (refresher_.isDue(account, now)) {
            submit("refresh:" + account.id,
                   [this, id = account.id] { refresher_.refresh(id, "expiring"); });
        }
    }
    const routing::RoutingSnapshotPtr routing = routing_.snapshot();
    for (const auto& [id, account] : routing->accounts) {
        if (account->status != sdk::AccountStatus::Paused &&
            account->status != sdk::AccountStatus::Disabled && prober_.isDue(id, now)) {
            submit("probe:" + id, [this, account = account] { prober_.probe(*account); });
        }
    }
}

std::shared_future<RefreshResult> AccountUpkeep::renewSoon(const std::string& account_id) {
    auto promise = std::make_shared<std::promise<RefreshResult>>();
    {
        std::lock_guard lock(mutex_);
        if (const auto running = renewals_.find(account_id); running != renewals_.end()) {
            return running->second;
        }
        std::shared_future<RefreshResult> result = promise->get_future().share();
        if (stopping_) {
            promise->set_value(RefreshResult::Skipped);
            return result;
        }
        renewals_.emplace(account_id, result);
        std::string key = "renew:" + account_id;
        pending_.insert(key);
        jobs_.emplace_back(std::move(key), [this, account_id, promise] {
            const RefreshResult outcome = refresher_.refresh(account_id, "upstream 401");
            {
                std::lock_guard done(mutex_);
                renewals_.erase(account_id);
            }
            promise->set_value(outcome);
        });
        wake_.notify_all();
        return result;
    }
}

void AccountUpkeep::submit(std::string key, std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !pending_.insert(key).second) {
            return;
        }
        jobs_.emplace_back(std::move(key), std::move(job));
    }
    wake_.notify_all();
}

void AccountUpkeep::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) {
            return;
        }
        auto [key, job] = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        job();
        lock.lock();
        pending_.erase(key);
    }
}

}  // namespace sluice::core::lifecycle
