#include "core/lifecycle/sign_in_desk.hpp"

#include <nlohmann/json.hpp>

#include "core/control/account_service.hpp"
#include "core/control/pool_service.hpp"
#include "core/security/identifiers.hpp"

namespace sluice::core::lifecycle {

namespace {

// Sign-ins waiting for their user at once; more is a runaway script, not an operator.
constexpr std::size_t kMaxWaiting = 16;
// How long a finished sign-in can still be read (the page and the CLI read it at once).
constexpr std::chrono::hours kKeepFinished{1};

}  // namespace

SignInDesk::SignInDesk(control::ControlContext& control, sdk::HttpClient& http,
                       DeviceSignInEndpoints endpoints, const sdk::Clock& clock,
                       sdk::Logger& logger)
    : control_(control),
      http_(http),
      endpoints_(std::move(endpoints)),
      clock_(clock),
      logger_(logger),
      worker_([this] { work(); }) {}

SignInDesk::~SignInDesk() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    changed_.notify_all();
    worker_.join();
}

sdk::Result<SignInView> SignInDesk::begin(const SignInRequest& request) {
    const auto fail = [&](sdk::Status status) -> sdk::Result<SignInView> {
        control::recordAudit(control_, request.actor, "account.sign_in.start", request.pool,
                             status);
        return status;
    };
    if (const auto found = control::PoolService(control_).find(request.pool); !found.ok()) {
        return fail(found.status());
    }
    if (request.label && !control::isValidName(*request.label)) {
        return fail({sdk::StatusCode::InvalidArgument,
                     "labels use lowercase letters, digits, '-' and '_' (at most 63)"});
    }
    {
        std::lock_guard lock(mutex_);
        std::size_t waiting = 0;
        for (const auto& [id, entry] : sign_ins_) {
            waiting += entry.flow ? 1 : 0;
        }
        if (waiting >= kMaxWaiting) {
            return fail({sdk::StatusCode::FailedPrecondition,
                         "too many sign-ins are waiting for their user; finish one first"});
        }
    }
    auto flow = std::make_shared<DeviceSignIn>(http_, clock_, endpoints_, storeFor(request));
    flow->requestCode();
    if (flow->phase() != DeviceSignIn::Phase::AwaitingUser) {
        return fail({sdk::StatusCode::Unavailable, flow->errorMessage()});
    }
    const std::string id = security::newRecordId("signin", clock_.now());
    SignInView view = viewOf(id, request.pool, *flow);
    control::recordAudit(control_, request.actor, "account.sign_in.start", request.pool, {},
                         nlohmann::json{{"sign_in", id}}.dump());
    logger_.info("device_sign_in_started", {{"sign_in", id}, {"pool", request.pool}});
    {
        std::lock_guard lock(mutex_);
        sign_ins_.emplace(id, Entry{request, std::move(flow), view, {}});
    }
    wake_.notify_all();
    return view;
}

sdk::Result<SignInView> SignInDesk::get(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto found = sign_ins_.find(id);
    if (found == sign_ins_.end()) {
        return sdk::Status{sdk::StatusCode::NotFound, "no sign-in " + id};
    }
    return found->second.view;
}

sdk::Result<SignInView> SignInDesk::waitFinished(const std::string& id) {
    std::unique_lock lock(mutex_);
    const auto settled = [&] {
        const auto found = sign_ins_.find(id);
        return stopping_ || found == sign_ins_.end() || !found->second.flow;
    };
    changed_.wait(lock, settled);
    const auto found = sign_ins_.find(id);
    if (found == sign_ins_.end()) {
        return sdk::Status{sdk::StatusCode::NotFound, "no sign-in " + id};
    }
    if (found->second.flow) {
        return sdk::Status{sdk::StatusCode::Unavailable, "the gateway is stopping"};
    }
    return found->second.view;
}

void SignInDesk::work() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const auto now = clock_.steadyNow();
        std::optional<std::chrono::steady_clock::time_point> next;
        Entry* due = nullptr;
        std::string due_id;
        for (auto it = sign_ins_.begin(); it != sign_ins_.end();) {
            Entry& entry = it->second;
            if (!entry.flow && entry.finished_at + kKeepFinished <= now) {
                it = sign_ins_.erase(it);
                continue;
            }
            if (entry.flow && entry.flow->dueAt() <= now && due == nullptr) {
                due = &entry;
                due_id = it->first;
            } else if (entry.flow && (!next || entry.flow->dueAt() < *next)) {
                next = entry.flow->dueAt();
            }
            ++it;
        }
        if (due != nullptr) {
            advance(due_id, *due, lock);
        } else if (next) {
            wake_.wait_for(lock, *next - now);
        } else {
            wake_.wait(lock);
        }
    }
}

void SignInDesk::advance(const std::string& id, Entry& entry, std::unique_lock<std::mutex>& lock) {
    // Only this thread steps a flow or erases an entry, so both stay valid while unlocked.
    const std::shared_ptr<DeviceSignIn> flow = entry.flow;
    lock.unlock();
    flow->step();
    SignInView view = viewOf(id, entry.request.pool, *flow);
    if (flow->finished()) {
        conclude(id, entry);
    }
    lock.lock();
    entry.view = std::move(view);
    if (flow->finished()) {
        entry.flow.reset();
        entry.finished_at = clock_.steadyNow();
    }
    changed_.notify_all();
}

void SignInDesk::conclude(const std::string& id, const Entry& entry) {
    const DeviceSignIn& flow = *entry.flow;
    if (flow.phase() == DeviceSignIn::Phase::Stored) {
        logger_.info("device_sign_in_stored", {{"sign_in", id}, {"account", flow.account()->id}});
        return;
    }
    // A stored account is audited by storeLogin; an ending without one is audited here.
    control::recordAudit(control_, entry.request.actor, "account.sign_in", entry.request.pool,
                         {sdk::StatusCode::FailedPrecondition, flow.errorMessage()},
                         nlohmann::json{{"sign_in", id}, {"error", flow.errorCode()}}.dump());
    logger_.warn(
        "device_sign_in_ended",
        {{"sign_in", id}, {"phase", signInPhaseName(flow.phase())}, {"error", flow.errorCode()}});
}

StoreLogin SignInDesk::storeFor(const SignInRequest& request) {
    return [this, request](const control::CodexLogin& login) {
        return control::AccountService(control_).storeLogin(
            request.pool, login, request.label, request.labels, request.actor, "account.sign_in");
    };
}

SignInView SignInDesk::viewOf(const std::string& id, const std::string& pool,
                              const DeviceSignIn& flow) {
    return {id,
            pool,
            flow.phase(),
            flow.userCode(),
            flow.verificationUrl(),
            flow.interval(),
            flow.expiresAt(),
            flow.account(),
            flow.errorCode(),
            flow.errorMessage()};
}

}  // namespace sluice::core::lifecycle
