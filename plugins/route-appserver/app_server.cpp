#include "app_server.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

// The app-server sends whole thread snapshots on one line; anything longer is not ours to parse.
constexpr std::size_t kMaxLine = 64 * 1024 * 1024;
constexpr std::chrono::milliseconds kStopGrace{3000};

json initializeParams() {
    return {{"clientInfo", {{"name", "sluice"}, {"title", "Sluice"}, {"version", "0.1.0"}}},
            {"capabilities", {{"experimentalApi", true}}}};
}

}  // namespace

const char* phaseName(Phase phase) noexcept {
    switch (phase) {
        case Phase::Stopped:
            return "stopped";
        case Phase::Starting:
            return "starting";
        case Phase::Ready:
            return "ready";
        case Phase::Backoff:
            return "backoff";
        case Phase::Stopping:
            return "stopping";
    }
    return "unknown";
}

AppServer::AppServer(std::string owner, Launcher launcher, SupervisorTiming timing,
                     AppServerListener& listener)
    : owner_(std::move(owner)),
      launcher_(std::move(launcher)),
      timing_(timing),
      listener_(listener),
      backoff_(timing.restart_backoff) {
    supervisor_ = std::thread([this] { supervise(); });
}

AppServer::~AppServer() {
    {
        Lock lock(mutex_);
        want_running_ = false;
        shutdown_ = true;
    }
    changed_.notify_all();
    supervisor_.join();
}

// --- transitions ---------------------------------------------------------------------------

void AppServer::beginStart(Lock& /*lock*/) {
    phase_ = Phase::Starting;
    exited_ = false;
    changed_.notify_all();
}

void AppServer::becomeReady(Lock& /*lock*/) {
    phase_ = Phase::Ready;
    ready_at_ = std::chrono::steady_clock::now();
    recycle_at_ = ready_at_ + timing_.recycle_after;
    last_error_.clear();
    changed_.notify_all();
}

void AppServer::enterBackoff(Lock& /*lock*/, std::string reason) {
    phase_ = Phase::Backoff;
    last_error_ = std::move(reason);
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
    backoff_ = std::min(backoff_ * 2, timing_.max_restart_backoff);
    ++restarts_;
    changed_.notify_all();
}

void AppServer::beginStop(Lock& /*lock*/) {
    phase_ = Phase::Stopping;
    changed_.notify_all();
}

void AppServer::finishStop(Lock& lock) {
    reap(lock);
    phase_ = Phase::Stopped;
    backoff_ = timing_.restart_backoff;
    changed_.notify_all();
}

// --- supervision -----------------------------------------------------------------------------

void AppServer::supervise() {
    Lock lock(mutex_);
    while (!shutdown_) {
        if (phase_ == Phase::Stopping || (!want_running_ && phase_ != Phase::Stopped)) {
            const bool was_ready = phase_ == Phase::Ready;
            beginStop(lock);
            finishStop(lock);
            if (was_ready) {
                lock.unlock();
                listener_.onExit(owner_, false);
                lock.lock();
            }
            continue;
        }
        if (exited_ && (phase_ == Phase::Ready || phase_ == Phase::Starting)) {
            const bool was_ready = phase_ == Phase::Ready;
            reap(lock);
            // A process that stayed up a while earns a fresh backoff; a crash loop does not.
            if (was_ready &&
                std::chrono::steady_clock::now() - ready_at_ > timing_.max_restart_backoff) {
                backoff_ = timing_.restart_backoff;
            }
            enterBackoff(lock, last_error_.empty() ? "the app-server exited" : last_error_);
            if (was_ready) {
                lock.unlock();
                listener_.onExit(owner_, true);
                lock.lock();
            }
            continue;
        }
        const bool due =
            phase_ == Phase::Stopped ||
            (phase_ == Phase::Backoff && std::chrono::steady_clock::now() >= retry_at_);
        if (want_running_ && due) {
            launch(lock);
            continue;
        }
        if (recycleIfDue(lock)) {
            continue;
        }
        if (phase_ == Phase::Backoff && want_running_) {
            changed_.wait_until(lock, retry_at_);
        } else if (phase_ == Phase::Ready && timing_.recycle_after.count() > 0) {
            changed_.wait_until(lock, recycle_at_);
        } else {
            changed_.wait(lock);
        }
    }
    if (phase_ != Phase::Stopped) {
        const bool was_ready = phase_ == Phase::Ready;
        beginStop(lock);
        finishStop(lock);
        if (was_ready) {
            lock.unlock();
            listener_.onExit(owner_, false);
        }
    }
}

bool AppServer::recycleIfDue(Lock& lock) {
    constexpr std::chrono::seconds kBusyRecheck{30};
    if (phase_ != Phase::Ready || timing_.recycle_after.count() <= 0 ||
        std::chrono::steady_clock::now() < recycle_at_) {
        return false;
    }
    lock.unlock();
    const bool idle = listener_.idle(owner_);
    lock.lock();
    if (phase_ != Phase::Ready) {
        return true;  // it changed meanwhile; look again
    }
    if (!idle || (channel_ && channel_->pendingCalls() > 0)) {
        recycle_at_ = std::chrono::steady_clock::now() + kBusyRecheck;
        return false;
    }
    beginStop(lock);
    finishStop(lock);
    lock.unlock();
    listener_.onExit(owner_, false);
    lock.lock();
    return true;  // still wanted: the loop starts a fresh process with a fresh credential
}

void AppServer::launch(Lock& lock) {
    beginStart(lock);
    lock.unlock();
    auto spec = launcher_();
    if (spec.ok()) {
        spec.value().stderr_mode = common::ChildStderr::Discard;
    }
    sdk::Result<std::unique_ptr<ChildProcess>> spawned =
        spec.ok() ? ChildProcess::spawn(spec.value())
                  : sdk::Result<std::unique_ptr<ChildProcess>>(spec.status());
    if (!spawned.ok()) {
        lock.lock();
        enterBackoff(lock, spawned.status().message());
        return;
    }
    std::shared_ptr<ChildProcess> process = std::move(spawned).value();
    auto channel = std::make_shared<RpcChannel>(
        [process](std::string_view line) { return process->writeLine(line); },
        [this](const json& message) { listener_.onMessage(owner_, message); });
    lock.lock();
    process_ = process;
    channel_ = channel;
    reader_ = std::thread([this, process, channel] { readLoop(process, channel); });
    lock.unlock();
    CallOutcome hello = channel->call("initialize", initializeParams(), timing_.start_timeout);
    const bool greeted = hello.ok() && channel->notify("initialized", json::object());
    lock.lock();
    if (phase_ != Phase::Starting || exited_) {
        return;  // stopped or exited meanwhile; the loop takes it from here
    }
    if (!greeted) {
        last_error_ = "initialize failed: " + hello.message;
        process->kill();  // the reader sees the end of output and reports the exit
        return;
    }
    user_agent_ = hello.result.value("userAgent", "");
    becomeReady(lock);
}

void AppServer::reap(Lock& lock) {
    auto process = std::move(process_);
    auto channel = std::move(channel_);
    std::thread reader = std::move(reader_);
    lock.unlock();
    if (channel) {
        channel->close(CallFailure::Exited, "the app-server exited before answering");
    }
    if (process) {
        process->terminate(kStopGrace);
    }
    if (reader.joinable()) {
        reader.join();
    }
    lock.lock();
}

void AppServer::readLoop(std::shared_ptr<ChildProcess> process,
                         std::shared_ptr<RpcChannel> channel) {
    while (auto line = process->readLine(kMaxLine)) {
        if (!line->empty()) {
            channel->onLine(*line);
        }
    }
    channel->close(CallFailure::Exited, "the app-server exited before answering");
    {
        Lock lock(mutex_);
        if (process_ == process) {
            exited_ = true;
        }
    }
    changed_.notify_all();
}

// --- callers ---------------------------------------------------------------------------------

std::shared_ptr<RpcChannel> AppServer::readyChannel() {
    Lock lock(mutex_);
    want_running_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, timing_.start_timeout,
                      [&] { return phase_ == Phase::Ready || shutdown_; });
    return phase_ == Phase::Ready ? channel_ : nullptr;
}

CallOutcome AppServer::call(std::string_view method, json params) {
    auto delay = timing_.overload_backoff;
    for (int attempt = 0;; ++attempt) {
        auto channel = readyChannel();
        if (!channel) {
            std::lock_guard lock(mutex_);
            return {CallFailure::Unavailable,
                    {},
                    0,
                    "the app-server is not running" +
                        (last_error_.empty() ? std::string() : " (" + last_error_ + ")"),
                    {}};
        }
        CallOutcome outcome = channel->call(method, params, timing_.request_timeout);
        if (outcome.failure != CallFailure::Remote || outcome.code != kServerOverloaded ||
            attempt >= timing_.overload_retries) {
            return outcome;
        }
        std::this_thread::sleep_for(delay);
        delay *= 2;
    }
}

bool AppServer::respond(const json& id, json result) {
    std::shared_ptr<RpcChannel> channel;
    {
        std::lock_guard lock(mutex_);
        if (phase_ != Phase::Ready) {
            return false;
        }
        channel = channel_;
    }
    return channel && channel->respond(id, std::move(result));
}

void AppServer::start() {
    {
        std::lock_guard lock(mutex_);
        want_running_ = true;
    }
    changed_.notify_all();
}

void AppServer::stop() {
    {
        std::lock_guard lock(mutex_);
        want_running_ = false;
    }
    changed_.notify_all();
}

Phase AppServer::phase() const {
    std::lock_guard lock(mutex_);
    return phase_;
}

json AppServer::status() const {
    std::lock_guard lock(mutex_);
    json status{{"owner", owner_},
                {"phase", phaseName(phase_)},
                {"restarts", restarts_},
                {"pendingCalls", channel_ ? channel_->pendingCalls() : 0}};
    status["pid"] = process_ ? json(process_->pid()) : json();
    status["lastError"] = last_error_.empty() ? json() : json(last_error_);
    status["userAgent"] = user_agent_.empty() ? json() : json(user_agent_);
    return status;
}

}  // namespace sluice::plugins::route_appserver
