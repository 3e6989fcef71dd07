#pragma once

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "background_runs.hpp"
#include "runner_config.hpp"
#include "runner_service.hpp"
#include "trigger_schedule.hpp"

namespace sluice::plugins::route_runner {

/// Scheduled prompts from the trigger files in `triggers.dir`. One thread computes the next
/// fire of every enabled trigger, fires due ones (each fire on its own thread, queued by the
/// concurrency limiter, continuing the trigger's own session and paid by its owner key), writes
/// the outcome back (`last_fired`, `last_status`, `last_error`, `last_attempt_at`,
/// `gateway_session_id`; a once-trigger is removed after success) and picks up external edits
/// of the files after `debounce`. The API methods change a file and reschedule at once.
/// Thread-safe.
class TriggerScheduler final {
public:
    TriggerScheduler(const TriggersConfig& config, RunnerService& service, const sdk::Clock& clock,
                     sdk::Random& random, sdk::Logger& logger);
    ~TriggerScheduler();
    TriggerScheduler(const TriggerScheduler&) = delete;
    TriggerScheduler& operator=(const TriggerScheduler&) = delete;

    RunAnswer list(const std::string& trigger_file);
    RunAnswer create(const std::string& trigger_file, nlohmann::json trigger,
                     const std::string& owner_key);
    RunAnswer update(const std::string& trigger_file, const std::string& id,
                     const nlohmann::json& changes);
    RunAnswer remove(const std::string& trigger_file, const std::string& id);

private:
    struct FileState {
        nlohmann::json triggers = nlohmann::json::array();
        std::filesystem::file_time_type seen{};  ///< mtime of our last read or write
        std::optional<std::chrono::steady_clock::time_point> changed_at;  ///< external edit
    };
    void loop();
    void scanFiles();
    void fireDue(TimePoint now);
    std::optional<TimePoint> nextOf(const nlohmann::json& trigger, TimePoint now) const;
    void fire(std::filesystem::path file, nlohmann::json trigger);
    void recordOutcome(const std::filesystem::path& file, const std::string& id,
                       const RunAnswer& answer, TimePoint attempted);
    sdk::Status persist(const std::filesystem::path& file);  // mutex_ held
    FileState& stateOf(const std::filesystem::path& file);   // mutex_ held
    sdk::Result<std::filesystem::path> fileFor(const std::string& requested) const;
    void reschedule(const std::filesystem::path& file, TimePoint now);  // mutex_ held
    /// Finds trigger `id` (400 bad file, 404 none), applies `edit` under the lock, and persists
    /// and reschedules when it answers below 400 (restoring the file's triggers on a write error).
    RunAnswer change(
        const std::string& trigger_file, const std::string& id,
        const std::function<RunAnswer(nlohmann::json&, nlohmann::json::iterator)>& edit);

    TriggersConfig config_;
    RunnerService& service_;
    const sdk::Clock& clock_;
    sdk::Random& random_;
    sdk::Logger& logger_;
    std::filesystem::path dir_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::filesystem::path, FileState> files_;
    std::map<std::string, TimePoint> next_;  ///< "<file>#<id>" -> next fire
    std::set<std::string> running_;          ///< "<file>#<id>" of fires in progress
    std::thread thread_;
    /// An exclusive flock on `<dir>/.scheduler.lock`: only its holder fires, so a reloaded
    /// pipeline (two instances for a while) or two gateways sharing the directory fire a due
    /// trigger once. Released after the fires below have finished.
    class LeaderLock final {
    public:
        explicit LeaderLock(std::filesystem::path file) : file_(std::move(file)) {}
        ~LeaderLock();
        LeaderLock(const LeaderLock&) = delete;
        LeaderLock& operator=(const LeaderLock&) = delete;
        /// Takes the lock if free; true while held.
        bool held();

    private:
        std::filesystem::path file_;
        int fd_ = -1;
    };
    LeaderLock leader_;
    BackgroundRuns fires_;  ///< last member: destroyed (waited for) first
};

}  // namespace sluice::plugins::route_runner
