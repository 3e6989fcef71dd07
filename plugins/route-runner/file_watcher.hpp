#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "runner_config.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::plugins::route_runner {

/// One settled change of one file.
struct WatchEvent {
    std::string event_type;  ///< add | change | delete (the last of the burst)
    std::filesystem::path path;
    std::filesystem::path root;  ///< the watched directory it is under
};

/// The glob as a regex: `**` any depth, `*` one segment, `?` one character.
std::regex globRegex(const std::string& pattern);

/// The prompt for `event`: the template with both variable sets replaced, case-insensitively
/// ({{file}} {{filename}} {{container_path}} {{event_type}} and {{event}} {{path}} {{relative}}
/// {{mtime}} {{size}} {{content}}), or a built-in description when the template is empty.
std::string renderWatchPrompt(const std::string& prompt_template, const WatchEvent& event);

/// Polls the watched directories (works on bind mounts, where inotify does not) every `poll`,
/// turns (mtime, size) differences into add/change/delete events for paths matching the
/// pattern, and after `debounce` of quiet per file hands the burst to `dispatch` once. The
/// first scan is a silent baseline when `skip_initial_scan`. Thread-safe.
class FileWatcher final {
public:
    using Dispatch = std::function<void(const WatchEvent&)>;

    FileWatcher(const WatcherConfig& config, Dispatch dispatch, sdk::Logger& logger);
    ~FileWatcher();
    FileWatcher(const FileWatcher&) = delete;
    FileWatcher& operator=(const FileWatcher&) = delete;

    nlohmann::json status() const;

private:
    struct Seen {
        std::filesystem::file_time_type mtime;
        std::uintmax_t size = 0;
    };
    struct Pending {
        WatchEvent event;
        std::chrono::steady_clock::time_point last;
    };
    void loop();
    void scan(bool baseline);
    void note(const std::filesystem::path& path, const std::filesystem::path& root,
              const char* type);
    void settle();
    bool matches(const std::filesystem::path& path, const std::filesystem::path& root) const;

    WatcherConfig config_;
    Dispatch dispatch_;
    sdk::Logger& logger_;
    std::regex pattern_;
    std::map<std::filesystem::path, Seen> seen_;
    std::map<std::filesystem::path, Pending> pending_;
    std::uint64_t dispatched_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::plugins::route_runner
