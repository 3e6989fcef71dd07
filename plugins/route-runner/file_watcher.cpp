#include "file_watcher.hpp"

#include <fstream>
#include <set>

#include "session_store.hpp"

namespace sluice::plugins::route_runner {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr std::size_t kMaxContentChars = 4000;

std::string readContent(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string content(kMaxContentChars + 1, '\0');
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<std::size_t>(in.gcount()));
    if (content.size() > kMaxContentChars) {
        std::error_code ec;
        const auto total = fs::file_size(path, ec);
        content.resize(kMaxContentChars);
        content += "…[truncated " + std::to_string(total - kMaxContentChars) + " chars]";
    }
    return content;
}

void replaceAll(std::string& text, const std::string& name, const std::string& value) {
    const std::regex variable("\\{\\{\\s*" + name + "\\s*\\}\\}", std::regex::icase);
    std::string literal;  // '$' is special in a replacement format
    for (const char c : value) {
        literal += c == '$' ? "$$" : std::string(1, c);
    }
    text = std::regex_replace(text, variable, literal);
}

}  // namespace

std::regex globRegex(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '*' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
            const bool slash = i + 2 < pattern.size() && pattern[i + 2] == '/';
            out += slash ? "(.*/)?" : ".*";
            i += slash ? 2 : 1;
        } else if (c == '*') {
            out += "[^/]*";
        } else if (c == '?') {
            out += "[^/]";
        } else if (std::string("\\^$.|+()[]{}").find(c) != std::string::npos) {
            out += std::string("\\") + c;
        } else {
            out += c;
        }
    }
    return std::regex(out);
}

std::string renderWatchPrompt(const std::string& prompt_template, const WatchEvent& event) {
    const std::string relative = event.path.lexically_relative(event.root).generic_string();
    std::error_code ec;
    const bool exists = event.event_type != "delete" && fs::exists(event.path, ec);
    const std::string size = exists ? std::to_string(fs::file_size(event.path, ec)) : "0";
    const std::string mtime =
        exists ? isoTime(std::chrono::file_clock::to_sys(fs::last_write_time(event.path, ec))) : "";
    const std::string content = exists ? readContent(event.path) : "";
    if (prompt_template.empty()) {
        std::string prompt = "File " + event.event_type + ": " + event.path.string() + "\n";
        return exists ? prompt + "\n" + content : prompt;
    }
    std::string prompt = prompt_template;
    const std::vector<std::pair<std::string, std::string>> variables{
        {"file", event.path.string()},
        {"filename", event.path.filename().string()},
        {"container_path", "/workspace/" + relative},
        {"event_type", event.event_type},
        {"event", event.event_type},
        {"path", event.path.string()},
        {"relative", relative},
        {"mtime", mtime},
        {"size", size},
        {"content", content}};
    for (const auto& [name, value] : variables) {
        replaceAll(prompt, name, value);
    }
    return prompt;
}

FileWatcher::FileWatcher(const WatcherConfig& config, Dispatch dispatch, sdk::Logger& logger)
    : config_(config),
      dispatch_(std::move(dispatch)),
      logger_(logger),
      pattern_(globRegex(config.pattern)) {
    for (std::string& path : config_.paths) {
        path = fs::absolute(path).lexically_normal().string();
    }
    scan(config_.skip_initial_scan);
    thread_ = std::thread([this] { loop(); });
}

FileWatcher::~FileWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

json FileWatcher::status() const {
    std::lock_guard lock(mutex_);
    return {{"enabled", true},
            {"paths", config_.paths},
            {"pattern", config_.pattern},
            {"prompt_file", config_.prompt_file},
            {"debounce_ms", config_.debounce.count()},
            {"poll_ms", config_.poll.count()},
            {"watcher_count", config_.paths.size()},
            {"pending", pending_.size()},
            {"dispatched", dispatched_}};
}

void FileWatcher::loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, config_.poll, [this] { return stopping_; })) {
        lock.unlock();
        try {
            scan(false);
            settle();
        } catch (const std::exception&) {
            logger_.error("runner_watch_failed", {});
        }
        lock.lock();
    }
}

bool FileWatcher::matches(const fs::path& path, const fs::path& root) const {
    return std::regex_match(path.generic_string(), pattern_) ||
           std::regex_match(path.lexically_relative(root).generic_string(), pattern_);
}

void FileWatcher::scan(bool baseline) {
    std::set<fs::path> present;
    for (const std::string& dir : config_.paths) {
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(dir, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (!it->is_regular_file(ec) || !matches(it->path(), dir)) {
                continue;
            }
            const Seen now{it->last_write_time(ec), it->file_size(ec)};
            present.insert(it->path());
            const auto known = seen_.find(it->path());
            if (known == seen_.end()) {
                if (!baseline) {
                    note(it->path(), dir, "add");
                }
            } else if (known->second.mtime != now.mtime || known->second.size != now.size) {
                note(it->path(), dir, "change");
            }
            seen_[it->path()] = now;
        }
    }
    for (auto it = seen_.begin(); it != seen_.end();) {
        if (present.count(it->first) != 0) {
            ++it;
            continue;
        }
        for (const std::string& dir : config_.paths) {
            if (it->first.string().rfind(dir, 0) == 0) {
                note(it->first, dir, "delete");
                break;
            }
        }
        it = seen_.erase(it);
    }
}

void FileWatcher::note(const fs::path& path, const fs::path& root, const char* type) {
    std::lock_guard lock(mutex_);
    pending_[path] = Pending{{type, path, root}, std::chrono::steady_clock::now()};
}

void FileWatcher::settle() {
    std::vector<WatchEvent> ready;
    {
        std::lock_guard lock(mutex_);
        const auto now = std::chrono::steady_clock::now();
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (now - it->second.last < config_.debounce) {
                ++it;
                continue;
            }
            ready.push_back(it->second.event);
            it = pending_.erase(it);
            ++dispatched_;
        }
    }
    for (const WatchEvent& event : ready) {
        logger_.info("runner_watch_event", {{"event", event.event_type}});
        dispatch_(event);
    }
}

}  // namespace sluice::plugins::route_runner
