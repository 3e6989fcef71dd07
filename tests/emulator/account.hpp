#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/emulator/script.hpp"

namespace sluice::emulator {

/// The tokens an account currently hands out (what a Codex auth.json for it would hold).
struct AccountTokens {
    std::string access_token;
    std::string refresh_token;
    std::string id_token;
};

/// One emulated upstream account: its scripted profile, its queue of one-shot faults and its
/// current tokens. Thread-safe: request threads and the control API share it.
class Account final {
public:
    explicit Account(AccountSpec spec);

    const std::string& id() const noexcept { return id_; }

    /// The steady profile; replaced as a whole, so readers hold a consistent copy cheaply.
    std::shared_ptr<const AccountSpec> profile() const;
    void setBehaviour(Behaviour behaviour);
    void setRateLimits(RateLimits limits);
    void setOAuth(OAuthBehaviour oauth);
    void setUploads(UploadBehaviour uploads);
    void setWebsocket(bool accept);
    void setPlanType(std::string plan_type);

    /// The behaviour for one model request: the head of the fault queue (consumed) or the
    /// steady behaviour of `profile` (a snapshot the caller took from profile()).
    Behaviour takeBehaviour(const AccountSpec& profile);
    void addFaults(std::vector<Fault> faults);
    void clearFaults();
    std::vector<Fault> pendingFaults() const;

    /// The OAuth behaviour for one refresh attempt; a counted failure mode is consumed here.
    OAuthBehaviour takeOAuth();

    AccountTokens tokens() const;
    void setTokens(AccountTokens tokens);

    void countRequest() noexcept { requests_.fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t requestCount() const noexcept {
        return requests_.load(std::memory_order_relaxed);
    }

private:
    template <typename Mutate>
    void updateProfile(Mutate&& mutate);

    const std::string id_;
    mutable std::mutex mutex_;
    std::shared_ptr<const AccountSpec> profile_;
    std::deque<Fault> faults_;
    // Lets the common no-fault path skip the lock entirely.
    std::atomic<bool> has_faults_{false};
    AccountTokens tokens_;
    std::atomic<std::uint64_t> requests_{0};
};

using AccountPtr = std::shared_ptr<Account>;

}  // namespace sluice::emulator
