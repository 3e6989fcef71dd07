#include "event_log.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

EventLog::EventLog(std::size_t capacity) : capacity_(capacity) {}

std::uint64_t EventLog::append(std::string owner, std::string thread_id, std::string name,
                               std::string data) {
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        id = next_id_++;
        events_.push_back(
            {id, std::move(owner), std::move(thread_id), std::move(name), std::move(data)});
        while (events_.size() > capacity_) {
            events_.pop_front();
        }
    }
    appended_.notify_all();
    return id;
}

std::vector<LoggedEvent> EventLog::after(std::uint64_t after,
                                         const std::function<bool(const LoggedEvent&)>& keep,
                                         std::size_t limit, std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    const std::uint64_t wakes = wakes_;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::uint64_t scanned = after;
    for (;;) {
        std::vector<LoggedEvent> found;
        for (const LoggedEvent& event : events_) {
            if (event.id <= scanned) {
                continue;
            }
            scanned = event.id;
            if (keep(event)) {
                found.push_back(event);
                if (found.size() >= limit) {
                    break;
                }
            }
        }
        if (!found.empty() || wakes_ != wakes ||
            appended_.wait_until(lock, deadline) == std::cv_status::timeout) {
            return found;
        }
    }
}

std::uint64_t EventLog::lastId() const {
    std::lock_guard lock(mutex_);
    return next_id_ - 1;
}

void EventLog::wakeAll() {
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
    }
    appended_.notify_all();
}

std::string messageThreadId(const json& message) {
    const auto params = message.find("params");
    if (params == message.end() || !params->is_object()) {
        return {};
    }
    if (const auto id = params->find("threadId"); id != params->end() && id->is_string()) {
        return id->get<std::string>();
    }
    if (const auto thread = params->find("thread"); thread != params->end() &&
                                                    thread->is_object() && thread->contains("id") &&
                                                    (*thread)["id"].is_string()) {
        return (*thread)["id"].get<std::string>();
    }
    return {};
}

}  // namespace sluice::plugins::route_appserver
