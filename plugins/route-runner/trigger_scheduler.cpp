#include "trigger_scheduler.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "json_fields.hpp"
#include "sluice/plugins/common/private_files.hpp"
#include "trigger_file.hpp"

namespace sluice::plugins::route_runner {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string keyOf(const fs::path& file, const std::string& id) {
    return file.string() + "#" + id;
}

json::iterator findTrigger(json& triggers, const std::string& id) {
    return std::find_if(triggers.begin(), triggers.end(),
                        [&](const json& t) { return t.is_object() && textField(t, "id") == id; });
}

std::string hexId(sdk::Random& random) {
    char buffer[33];
    std::snprintf(buffer, sizeof buffer, "%016llx%016llx",
                  static_cast<unsigned long long>(random.next()),
                  static_cast<unsigned long long>(random.next()));
    return buffer;
}

RunAnswer problem(int status, const std::string& message) {
    return {status, {{"error", message}}, 0};
}

}  // namespace

TriggerScheduler::TriggerScheduler(const TriggersConfig& config, RunnerService& service,
                                   const sdk::Clock& clock, sdk::Random& random,
                                   sdk::Logger& logger)
    : config_(config),
      service_(service),
      clock_(clock),
      random_(random),
      logger_(logger),
      dir_(fs::absolute(config.dir)),
      leader_(dir_ / ".scheduler.lock") {
    common::makePrivateDirectory(dir_);
    {
        std::lock_guard lock(mutex_);
        scanFiles();
    }
    thread_ = std::thread([this] { loop(); });
}

TriggerScheduler::~TriggerScheduler() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    lock.unlock();
    thread_.join();
}

TriggerScheduler::LeaderLock::~LeaderLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

bool TriggerScheduler::LeaderLock::held() {
    if (fd_ >= 0) {
        return true;
    }
    const int fd = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return false;
    }
    fd_ = fd;
    return true;
}

void TriggerScheduler::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const TimePoint now = clock_.now();
        try {
            scanFiles();
            if (leader_.held()) {
                fireDue(now);
            }
        } catch (const std::exception&) {
            // A file nobody should have written this way must not end the gateway.
            logger_.error("runner_triggers_failed", {});
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(config_.poll);
        for (const auto& [key, at] : next_) {
            if (running_.count(key) == 0) {
                wait =
                    std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(at - now));
            }
        }
        wake_.wait_for(lock, std::max(wait, std::chrono::milliseconds(10)));
    }
}

void TriggerScheduler::scanFiles() {
    std::error_code ec;
    std::set<fs::path> present;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() != ".json" || !entry.is_regular_file()) {
            continue;
        }
        present.insert(entry.path());
        const auto mtime = fs::last_write_time(entry.path(), ec);
        auto known = files_.find(entry.path());
        if (known == files_.end()) {
            stateOf(entry.path());
            continue;
        }
        FileState& state = known->second;
        if (mtime == state.seen) {
            state.changed_at.reset();
            continue;
        }
        const auto steady_now = std::chrono::steady_clock::now();
        if (!state.changed_at) {
            state.changed_at = steady_now;  // an edit from outside: wait until it settles
        } else if (steady_now - *state.changed_at >= config_.debounce) {
            auto triggers = readTriggerFile(entry.path());
            if (triggers.ok()) {
                state.triggers = std::move(triggers).value();
                logger_.info("runner_triggers_reloaded",
                             {{"file", entry.path().filename().string()}});
            } else {
                logger_.warn("runner_triggers_unreadable",
                             {{"file", entry.path().filename().string()}});
            }
            state.seen = mtime;
            state.changed_at.reset();
            reschedule(entry.path(), clock_.now());
        }
    }
    for (auto it = files_.begin(); it != files_.end();) {
        if (present.count(it->first) == 0 && it->second.triggers.empty()) {
            it = files_.erase(it);
        } else {
            ++it;
        }
    }
}

TriggerScheduler::FileState& TriggerScheduler::stateOf(const fs::path& file) {
    auto it = files_.find(file);
    if (it != files_.end()) {
        return it->second;
    }
    FileState state;
    std::error_code ec;
    auto triggers = readTriggerFile(file);
    if (triggers.ok()) {
        state.triggers = std::move(triggers).value();
    } else {
        logger_.warn("runner_triggers_unreadable", {{"file", file.filename().string()}});
    }
    state.seen = fs::last_write_time(file, ec);
    FileState& stored = files_[file] = std::move(state);
    reschedule(file, clock_.now());
    return stored;
}

std::optional<TimePoint> TriggerScheduler::nextOf(const json& trigger, TimePoint now) const {
    if (!trigger.is_object() || !flagField(trigger, "enabled", true)) {
        return std::nullopt;
    }
    auto schedule = parseSchedule(trigger.value("schedule", json()));
    if (!schedule.ok()) {
        return std::nullopt;
    }
    const auto text = [&](const char* key) {
        const json value = trigger.value(key, json());
        return value.is_string() ? parseIsoTime(value.get<std::string>()) : std::nullopt;
    };
    // A failed once-trigger stays in the file for the operator, but does not fire again.
    if (schedule->mode == Schedule::Mode::Once && text("last_attempt_at")) {
        return std::nullopt;
    }
    return nextFire(schedule.value(), now, text("last_fired"), text("created_at").value_or(now));
}

void TriggerScheduler::reschedule(const fs::path& file, TimePoint now) {
    const std::string prefix = file.string() + "#";
    for (auto it = next_.lower_bound(prefix);
         it != next_.end() && it->first.rfind(prefix, 0) == 0;) {
        it = next_.erase(it);
    }
    const auto state = files_.find(file);
    if (state == files_.end()) {
        return;
    }
    for (const json& trigger : state->second.triggers) {
        if (auto at = nextOf(trigger, now)) {
            next_[keyOf(file, textField(trigger, "id"))] = *at;
        }
    }
    wake_.notify_all();
}

void TriggerScheduler::fireDue(TimePoint now) {
    for (auto& [file, state] : files_) {
        for (const json& trigger : state.triggers) {
            const std::string key = keyOf(file, textField(trigger, "id"));
            const auto due = next_.find(key);
            if (due == next_.end() || due->second > now || running_.count(key) != 0) {
                continue;
            }
            next_.erase(due);
            running_.insert(key);
            fires_.start([this, file = file, trigger] { fire(file, trigger); });
        }
    }
}

void TriggerScheduler::fire(fs::path file, json trigger) {
    const TimePoint attempted = clock_.now();
    json body = {{"prompt", textField(trigger, "prompt_text")}};
    for (const char* key :
         {"system_prompt", "env", "cwd", "workspace", "timeout_ms", "max_duration_ms", "model"}) {
        if (trigger.contains(key)) {
            body[key] = trigger[key];
        }
    }
    RunAnswer answer;
    auto request = parseRunRequest(body, BodyKind::Completion);
    if (!request.ok()) {
        answer = problem(400, request.status().message());
    } else {
        request->source = RunSource::Trigger;
        request->trigger_id = textField(trigger, "id");
        request->payer = textField(trigger, "owner_key");
        request->payer = request->payer.empty() ? config_.owner_key : request->payer;
        request->session_id = trigger.value("gateway_session_id", json()).is_string()
                                  ? trigger["gateway_session_id"].get<std::string>()
                                  : "";
        if (request->payer.empty()) {
            answer = problem(400, "the trigger has no owner key to pay for its runs");
        } else {
            answer = service_.run(request.value(), "");
            if (answer.status == 404 && !request->session_id.empty()) {
                request->session_id.clear();  // its session is gone: start a new conversation
                answer = service_.run(request.value(), "");
            }
        }
    }
    recordOutcome(file, textField(trigger, "id"), answer, attempted);
}

void TriggerScheduler::recordOutcome(const fs::path& file, const std::string& id,
                                     const RunAnswer& answer, TimePoint attempted) {
    std::lock_guard lock(mutex_);
    running_.erase(keyOf(file, id));
    FileState& state = stateOf(file);
    auto it = findTrigger(state.triggers, id);
    const bool success = answer.status == 200;
    logger_.info("runner_trigger_fired", {{"trigger", id},
                                          {"status", std::to_string(answer.status)},
                                          {"outcome", success ? "success" : "error"}});
    if (it != state.triggers.end()) {
        json& trigger = *it;
        trigger["last_attempt_at"] = isoTime(attempted);
        trigger["last_status"] = success ? "success" : "error";
        trigger["last_error"] = success ? json() : answer.body.value("error", json());
        if (answer.body.value("session_id", json()).is_string()) {
            trigger["gateway_session_id"] = answer.body["session_id"];
        }
        if (success) {
            trigger["last_fired"] = isoTime(attempted);
        }
        const auto schedule = parseSchedule(trigger.value("schedule", json()));
        if (success && schedule.ok() && schedule->mode == Schedule::Mode::Once) {
            state.triggers.erase(it);
        }
        persist(file);
    }
    reschedule(file, clock_.now());
    wake_.notify_all();
}

sdk::Status TriggerScheduler::persist(const fs::path& file) {
    FileState& state = files_[file];
    auto written = writeTriggerFile(file, state.triggers, isoTime(clock_.now()));
    std::error_code ec;
    state.seen = fs::last_write_time(file, ec);
    state.changed_at.reset();
    return written;
}

sdk::Result<fs::path> TriggerScheduler::fileFor(const std::string& requested) const {
    return triggerFileIn(dir_, config_.file, requested);
}

RunAnswer TriggerScheduler::list(const std::string& trigger_file) {
    auto file = fileFor(trigger_file);
    if (!file.ok()) {
        return problem(400, file.status().message());
    }
    std::lock_guard lock(mutex_);
    json triggers = stateOf(file.value()).triggers;
    for (json& trigger : triggers) {
        const auto next = next_.find(keyOf(file.value(), textField(trigger, "id")));
        trigger["next_fire"] = next != next_.end() ? json(isoTime(next->second)) : json();
    }
    return {200, {{"trigger_file", file.value().string()}, {"triggers", triggers}}, 0};
}

RunAnswer TriggerScheduler::create(const std::string& trigger_file, json trigger,
                                   const std::string& owner_key) {
    auto file = fileFor(trigger_file);
    if (!file.ok()) {
        return problem(400, file.status().message());
    }
    for (const char* runtime : {"last_fired", "last_status", "last_error", "last_attempt_at",
                                "gateway_session_id", "next_fire"}) {
        trigger.erase(runtime);
    }
    trigger["owner_key"] = owner_key;
    if (auto valid = normaliseTrigger(trigger, hexId(random_), isoTime(clock_.now()));
        !valid.ok()) {
        return problem(400, valid.message());
    }
    std::lock_guard lock(mutex_);
    FileState& state = stateOf(file.value());
    const std::string id = trigger["id"];
    if (findTrigger(state.triggers, id) != state.triggers.end()) {
        return problem(409, "Trigger '" + id + "' already exists");
    }
    state.triggers.push_back(trigger);
    if (auto saved = persist(file.value()); !saved.ok()) {
        state.triggers.erase(state.triggers.end() - 1);
        return problem(500, "cannot write the trigger file");
    }
    reschedule(file.value(), clock_.now());
    return {201, {{"trigger", trigger}}, 0};
}

RunAnswer TriggerScheduler::change(const std::string& trigger_file, const std::string& id,
                                   const std::function<RunAnswer(json&, json::iterator)>& edit) {
    auto file = fileFor(trigger_file);
    if (!file.ok()) {
        return problem(400, file.status().message());
    }
    std::lock_guard lock(mutex_);
    json& triggers = stateOf(file.value()).triggers;
    auto it = findTrigger(triggers, id);
    if (it == triggers.end()) {
        return problem(404, "Trigger '" + id + "' not found");
    }
    const json previous = triggers;
    RunAnswer answer = edit(triggers, it);
    if (answer.status >= 400) {
        return answer;
    }
    if (auto saved = persist(file.value()); !saved.ok()) {
        triggers = previous;
        return problem(500, "cannot write the trigger file");
    }
    reschedule(file.value(), clock_.now());
    return answer;
}

RunAnswer TriggerScheduler::update(const std::string& trigger_file, const std::string& id,
                                   const json& changes) {
    return change(trigger_file, id, [&](json&, json::iterator it) -> RunAnswer {
        static const std::set<std::string> kKept{
            "id",          "created_at", "owner_key",      "last_fired",
            "last_status", "last_error", "last_attempt_at"};
        json updated = *it;
        for (const auto& [key, value] : changes.items()) {
            if (kKept.count(key) == 0) {
                updated[key] = value;
            }
        }
        if (auto valid = normaliseTrigger(updated, id, isoTime(clock_.now())); !valid.ok()) {
            return problem(400, valid.message());
        }
        *it = updated;
        return {200, {{"trigger", updated}}, 0};
    });
}

RunAnswer TriggerScheduler::remove(const std::string& trigger_file, const std::string& id) {
    return change(trigger_file, id, [&](json& triggers, json::iterator it) -> RunAnswer {
        triggers.erase(it);
        return {200, {{"trigger_id", id}}, 0};
    });
}

}  // namespace sluice::plugins::route_runner
