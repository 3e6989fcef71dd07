#include "tests/emulator/wham_tasks.hpp"

#include <algorithm>
#include <charconv>

#include "tests/emulator/wham_fixtures.hpp"

namespace sluice::emulator {
namespace {

// The times of the fixture task (fixtures/wham/tasks-list.json).
constexpr double kFixtureCreatedAt = 1758697448.62;
constexpr double kFixtureUpdatedAt = 1758697542.48;
// Upstream cursors look like "+RID:...#RT:1#TRC:1"; ours carry the account and an offset.
constexpr std::string_view kCursorTag = "#RT:";

std::string cursorFor(const std::string& account_id, std::size_t offset) {
    return "+RID:" + account_id + std::string(kCursorTag) + std::to_string(offset);
}

std::optional<std::size_t> offsetOf(const std::string& account_id, const std::string& cursor) {
    const std::string prefix = "+RID:" + account_id + std::string(kCursorTag);
    if (cursor.rfind(prefix, 0) != 0)
        return std::nullopt;
    std::size_t offset = 0;
    const char* begin = cursor.data() + prefix.size();
    const char* end = cursor.data() + cursor.size();
    const auto [stop, error] = std::from_chars(begin, end, offset);
    if (error != std::errc() || stop != end)
        return std::nullopt;
    return offset;
}

}  // namespace

WhamTask WhamTasks::create(const std::string& account_id, std::string title, std::int64_t now) {
    std::lock_guard lock(mutex_);
    ++serial_;
    WhamTask task;
    task.id = WhamFixtures::taskIdFor(account_id) + "_" + std::to_string(serial_);
    task.title = std::move(title);
    // The serial keeps creations strictly ordered even within one second.
    task.created_at = static_cast<double>(now) + static_cast<double>(serial_) / 1000.0;
    task.updated_at = task.created_at;
    created_[account_id].push_back(task);
    return task;
}

std::vector<WhamTask> WhamTasks::newestFirst(const std::string& account_id) const {
    std::vector<WhamTask> tasks;
    if (const auto it = created_.find(account_id); it != created_.end())
        tasks.assign(it->second.rbegin(), it->second.rend());
    tasks.push_back({WhamFixtures::taskIdFor(account_id),
                     "Investigate build flake in linux release job", kFixtureCreatedAt,
                     kFixtureUpdatedAt});
    return tasks;
}

std::size_t WhamTasks::createdCount(const std::string& account_id) const {
    std::lock_guard lock(mutex_);
    const auto it = created_.find(account_id);
    return it == created_.end() ? 0 : it->second.size();
}

std::optional<WhamTask> WhamTasks::find(const std::string& account_id,
                                        const std::string& task_id) const {
    std::lock_guard lock(mutex_);
    for (auto& task : newestFirst(account_id)) {
        if (task.id == task_id)
            return task;
    }
    return std::nullopt;
}

std::optional<WhamTaskPage> WhamTasks::page(const std::string& account_id,
                                            const std::optional<std::string>& cursor,
                                            std::size_t limit) const {
    std::size_t offset = 0;
    if (cursor) {
        const auto parsed = offsetOf(account_id, *cursor);
        if (!parsed)
            return std::nullopt;
        offset = *parsed;
    }
    std::lock_guard lock(mutex_);
    const auto tasks = newestFirst(account_id);
    WhamTaskPage page;
    for (std::size_t i = offset; i < tasks.size() && page.tasks.size() < limit; ++i)
        page.tasks.push_back(tasks[i]);
    if (offset + page.tasks.size() < tasks.size())
        page.cursor = cursorFor(account_id, offset + page.tasks.size());
    return page;
}

void WhamTasks::clear() {
    std::lock_guard lock(mutex_);
    created_.clear();
}

}  // namespace sluice::emulator
