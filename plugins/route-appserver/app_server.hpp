#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "rpc_channel.hpp"
#include "sluice/plugins/common/child_process.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_appserver {

/// Where a supervised app-server is in its life. Transitions (one function each):
///   Stopped  -beginStart-> Starting -becomeReady-> Ready
///   Starting|Ready -enterBackoff-> Backoff (it exited or failed to start; restart later)
///   Backoff  -beginStart-> Starting
///   any      -beginStop-> Stopping -finishStop-> Stopped
///   Ready (old and idle) -beginStop-> Stopping -finishStop-> Stopped -beginStart-> Starting
enum class Phase { Stopped, Starting, Ready, Backoff, Stopping };

const char* phaseName(Phase phase) noexcept;

/// How long things may take, and how restarts and overload retries back off.
struct SupervisorTiming {
    std::chrono::milliseconds request_timeout{60'000};
    std::chrono::milliseconds start_timeout{30'000};
    std::chrono::milliseconds restart_backoff{500};
    std::chrono::milliseconds max_restart_backoff{30'000};
    int overload_retries = 3;
    std::chrono::milliseconds overload_backoff{200};
    /// A ready process is replaced once it is this old and idle (before the credential it was
    /// started with expires); zero: never.
    std::chrono::milliseconds recycle_after{0};
};

/// What the app-server says unasked, and when it goes away. Called on the supervisor's own
/// threads; must not call back into the AppServer that reports.
class AppServerListener {
public:
    virtual ~AppServerListener() = default;
    /// A notification ({"method","params"}) or a server request ({"id","method","params"}).
    virtual void onMessage(const std::string& owner, const nlohmann::json& message) = 0;
    /// The process of a Ready server ended (crash, kill, stop): its server requests are void
    /// and its running turns will never complete. `restarting` when it will be started again.
    virtual void onExit(const std::string& owner, bool restarting) = 0;
    /// Whether the owner's process may be replaced now: no turn runs and no request waits.
    virtual bool idle(const std::string& owner) = 0;
};

using common::ChildProcess;
using common::ChildSpec;

/// Builds the command of each start (fresh credential, config files); called on the
/// supervisor thread before every spawn. The supervisor discards the child's stderr (it may echo
/// prompts or tool output, which never reach Sluice's logs) whatever the spec says.
using Launcher = std::function<sdk::Result<ChildSpec>()>;

/// One supervised `codex app-server` over stdio, for one owner key: started on first use,
/// `initialize` with experimentalApi then `initialized`, restarted with backoff when it exits,
/// calls answered -32001 retried with backoff. Thread-safe; call() blocks its caller.
class AppServer final {
public:
    AppServer(std::string owner, Launcher launcher, SupervisorTiming timing,
              AppServerListener& listener);
    ~AppServer();

    AppServer(const AppServer&) = delete;
    AppServer& operator=(const AppServer&) = delete;

    const std::string& owner() const noexcept { return owner_; }
    /// Starts the process if needed and sends one request.
    CallOutcome call(std::string_view method, nlohmann::json params);
    /// Answers a server request of the running process; false when it is gone.
    bool respond(const nlohmann::json& id, nlohmann::json result);
    /// Asks for the process to run (it starts in the background).
    void start();
    /// Stops the process and keeps it stopped until the next start() or call().
    void stop();
    Phase phase() const;
    /// {owner, phase, pid, restarts, pendingCalls, lastError, userAgent (from initialize)}
    nlohmann::json status() const;

private:
    using Lock = std::unique_lock<std::mutex>;

    void beginStart(Lock& lock);
    void becomeReady(Lock& lock);
    void enterBackoff(Lock& lock, std::string reason);
    void beginStop(Lock& lock);
    void finishStop(Lock& lock);

    void supervise();
    /// Replaces a Ready process that reached recycle_after when it is idle; true if it did.
    bool recycleIfDue(Lock& lock);
    void launch(Lock& lock);
    void reap(Lock& lock);
    void readLoop(std::shared_ptr<ChildProcess> process, std::shared_ptr<RpcChannel> channel);
    std::shared_ptr<RpcChannel> readyChannel();

    const std::string owner_;
    const Launcher launcher_;
    const SupervisorTiming timing_;
    AppServerListener& listener_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    Phase phase_ = Phase::Stopped;
    bool want_running_ = false;
    bool shutdown_ = false;
    bool exited_ = false;
    std::chrono::steady_clock::time_point retry_at_{};
    std::chrono::steady_clock::time_point ready_at_{};
    std::chrono::steady_clock::time_point recycle_at_{};
    std::chrono::milliseconds backoff_;
    std::uint64_t restarts_ = 0;
    std::string last_error_;
    std::string user_agent_;
    std::shared_ptr<ChildProcess> process_;
    std::shared_ptr<RpcChannel> channel_;
    std::thread reader_;
    std::thread supervisor_;
};

}  // namespace sluice::plugins::route_appserver
