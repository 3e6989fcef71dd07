#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/control/control_context.hpp"
#include "core/lifecycle/device_sign_in.hpp"

namespace sluice::core::lifecycle {

/// Who asked for a sign-in and where its account goes.
struct SignInRequest {
    std::string pool;
    std::optional<std::string> label;
    sdk::Labels labels;
    control::Actor actor;
};

/// A sign-in as the operator sees it: never the device code or a token.
struct SignInView {
    std::string id;
    std::string pool;
    DeviceSignIn::Phase phase = DeviceSignIn::Phase::Requested;
    std::string user_code;
    std::string verification_url;
    std::chrono::seconds interval{0};
    sdk::TimePoint expires_at;
    std::optional<sdk::AccountRecord> account;  ///< once stored
    std::string error_code;                     ///< denied, expired, failed: why
    std::string error_message;
};

/// The device sign-ins in progress: begin() asks the auth server for a user code (one HTTP
/// call) and answers at once; one worker thread of its own polls each sign-in at its interval,
/// exchanges and stores the tokens (AccountService::storeLogin, audited `account.sign_in`),
/// so no caller waits while the user approves. Views are kept an hour after the end. Held in
/// memory only: a restart forgets unfinished sign-ins. Thread-safe.
class SignInDesk final {
public:
    SignInDesk(control::ControlContext& control, sdk::HttpClient& http,
               DeviceSignInEndpoints endpoints, const sdk::Clock& clock, sdk::Logger& logger);
    ~SignInDesk();
    SignInDesk(const SignInDesk&) = delete;
    SignInDesk& operator=(const SignInDesk&) = delete;

    /// NotFound for an unknown pool, InvalidArgument for a bad label, FailedPrecondition when
    /// too many sign-ins wait, Unavailable when the auth server gives no code. Audited
    /// `account.sign_in.start`.
    sdk::Result<SignInView> begin(const SignInRequest& request);
    sdk::Result<SignInView> get(const std::string& id) const;
    /// Blocks until the sign-in has finished (the CLI waits here; never a request thread).
    sdk::Result<SignInView> waitFinished(const std::string& id);

private:
    struct Entry {
        SignInRequest request;
        std::shared_ptr<DeviceSignIn> flow;  ///< touched by the worker only, once begun
        SignInView view;
        std::chrono::steady_clock::time_point finished_at;
    };

    void work();
    void advance(const std::string& id, Entry& entry, std::unique_lock<std::mutex>& lock);
    void conclude(const std::string& id, const Entry& entry);
    StoreLogin storeFor(const SignInRequest& request);
    static SignInView viewOf(const std::string& id, const std::string& pool,
                             const DeviceSignIn& flow);

    control::ControlContext& control_;
    sdk::HttpClient& http_;
    DeviceSignInEndpoints endpoints_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;     ///< the worker: a new sign-in, or stop
    std::condition_variable changed_;  ///< waitFinished(): a view changed
    bool stopping_ = false;
    std::map<std::string, Entry> sign_ins_;
    std::thread worker_;
};

}  // namespace sluice::core::lifecycle
